// Conversion between assets at a rate given as a decimal string, computed exactly with integers: the product
// amount × rate is a rational number, and the only rounding is the one the caller names. (bignumber.js would work
// too, but needs a precision setting; exact integer arithmetic needs none and cannot lose a digit.)
import type { Asset } from './asset.ts';
import { moneyFromMinor, type Money } from './money.ts';
import { MoneyError } from './money-error.ts';
import { divideRounded, type RoundingMode } from './rounding.ts';

/** A positive decimal rate as numerator / 10^decimals. */
export interface Rate {
  readonly text: string;
  readonly numerator: bigint;
  readonly decimals: number;
}

const rateDecimalsMax = 18;
const rateDigitsMax = 36;
const ratePattern = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

export function parseRate(input: unknown): Rate {
  if (typeof input !== 'string')
    throw new MoneyError('invalid_rate', `rate must be a decimal string, got ${typeof input}`);
  const match = input.length <= rateDigitsMax + 1 ? ratePattern.exec(input) : null;
  if (!match)
    throw new MoneyError('invalid_rate', `rate ${JSON.stringify(input)} is not a plain positive decimal`);
  const [, whole, fraction = ''] = match;
  if (fraction.length > rateDecimalsMax)
    throw new MoneyError(
      'invalid_rate',
      `rate ${JSON.stringify(input)} has more than ${rateDecimalsMax} decimals`,
    );
  const numerator = BigInt(whole! + fraction);
  if (numerator === 0n) throw new MoneyError('invalid_rate', 'rate must be greater than zero');
  return { text: input, numerator, decimals: fraction.length };
}

export interface Conversion {
  readonly converted: Money;
  /**
   * What rounding dropped or added, as a fraction of one target minor unit: exact = converted + remainder / denominator.
   * Lets an FX posting account for the spread to the last fraction.
   */
  readonly remainderNumerator: bigint;
  readonly remainderDenominator: bigint;
}

/** amount (in `from`) × rate → `to`, rounded by `rounding`. Rate means: one major unit of `from` buys `rate` of `to`. */
export function convert(
  amount: Money,
  to: Asset,
  rateInput: string | Rate,
  rounding: RoundingMode,
): Conversion {
  const rate = typeof rateInput === 'string' ? parseRate(rateInput) : rateInput;
  // exact target minor = minor × rate × 10^to.scale / 10^from.scale
  //                    = minor × numerator × 10^to.scale / 10^(rate.decimals + from.scale)
  const numerator = amount.minor * rate.numerator * 10n ** BigInt(to.scale);
  const denominator = 10n ** BigInt(rate.decimals + amount.asset.scale);
  const convertedMinor = divideRounded(numerator, denominator, rounding);
  return {
    converted: moneyFromMinor(convertedMinor, to),
    remainderNumerator: numerator - convertedMinor * denominator,
    remainderDenominator: denominator,
  };
}

/** Basis points (1/100 of a percent) of an amount, e.g. a 150 bps fee, rounded by `rounding`. */
export function applyBasisPoints(amount: Money, basisPoints: bigint, rounding: RoundingMode): Money {
  if (basisPoints < 0n || basisPoints > 10_000n)
    throw new MoneyError('invalid_basis_points', `basis points ${basisPoints} is not within 0..10000`);
  return moneyFromMinor(divideRounded(amount.minor * basisPoints, 10_000n, rounding), amount.asset);
}
