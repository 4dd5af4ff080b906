// Money: bigint minor units tagged with their asset. Never a JavaScript number, never a float. Every Money that
// exists is within its asset's bound, so arithmetic results are checked where they are made.
import type { Asset } from './asset.ts';
import { MoneyError } from './money-error.ts';

export interface Money {
  readonly asset: Asset;
  readonly minor: bigint;
}

export function moneyFromMinor(minor: bigint, asset: Asset): Money {
  if (typeof minor !== 'bigint')
    throw new MoneyError('not_a_string', `minor units must be a bigint, got ${typeof minor}`);
  if (minor > asset.minorMax || minor < -asset.minorMax)
    throw new MoneyError(
      'out_of_range',
      `${minor} ${asset.code} minor units is beyond the bound ${asset.minorMax}`,
    );
  return Object.freeze({ asset, minor });
}

export function zero(asset: Asset): Money {
  return moneyFromMinor(0n, asset);
}

function sameAsset(a: Money, b: Money): void {
  if (a.asset !== b.asset)
    throw new MoneyError('asset_mismatch', `cannot combine ${a.asset.code} with ${b.asset.code}`);
}

export function add(a: Money, b: Money): Money {
  sameAsset(a, b);
  return moneyFromMinor(a.minor + b.minor, a.asset);
}

export function subtract(a: Money, b: Money): Money {
  sameAsset(a, b);
  return moneyFromMinor(a.minor - b.minor, a.asset);
}

export function negate(a: Money): Money {
  return moneyFromMinor(-a.minor, a.asset);
}

export function multiplyByInteger(a: Money, factor: bigint): Money {
  return moneyFromMinor(a.minor * factor, a.asset);
}

export function sum(asset: Asset, amounts: readonly Money[]): Money {
  let total = zero(asset);
  for (const amount of amounts) total = add(total, amount);
  return total;
}

/** -1, 0 or 1. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameAsset(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

export function equals(a: Money, b: Money): boolean {
  return a.asset === b.asset && a.minor === b.minor;
}

export function isZero(a: Money): boolean {
  return a.minor === 0n;
}

export function isPositive(a: Money): boolean {
  return a.minor > 0n;
}

export function isNegative(a: Money): boolean {
  return a.minor < 0n;
}

export function min(a: Money, b: Money): Money {
  return compare(a, b) <= 0 ? a : b;
}

export function max(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? a : b;
}
