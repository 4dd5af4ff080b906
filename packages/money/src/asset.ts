// Assets and their scales. A registry rather than a union type, so adding a currency is one `defineAsset` call.
import { MoneyError } from './money-error.ts';

export interface Asset {
  /** Upper-case code: USDT, TRX, USD, EUR. */
  readonly code: string;
  /** Decimal places of the minor unit: 6 for USDT (and TRX's "sun"), 2 for USD and EUR. */
  readonly scale: number;
  /** Bound on the absolute value of an amount, in minor units; far below int8's 2^63-1. */
  readonly minorMax: bigint;
}

const assets = new Map<string, Asset>();
const codePattern = /^[A-Z][A-Z0-9]{1,11}$/;
const int8Max = 2n ** 63n - 1n;
/** One trillion (10^12) major units: more than any Cardgate balance will hold (all USDT in existence is about 1.5 × 10^11), and 10^18 minor units of a 6-decimal asset still fit int8. */
const majorUnitsMaxDefault = 10n ** 12n;

export function defineAsset(code: string, scale: number, majorUnitsMax = majorUnitsMaxDefault): Asset {
  if (!codePattern.test(code))
    throw new Error(`asset code ${code} must be 2-12 upper-case letters or digits`);
  if (!Number.isInteger(scale) || scale < 0 || scale > 18)
    throw new Error(`asset ${code}: scale ${scale} is not 0..18`);
  const minorMax = majorUnitsMax * 10n ** BigInt(scale);
  if (minorMax > int8Max) throw new Error(`asset ${code}: bound ${minorMax} does not fit a PostgreSQL int8`);
  const existing = assets.get(code);
  if (existing) {
    if (existing.scale !== scale || existing.minorMax !== minorMax)
      throw new Error(`asset ${code} is already defined differently`);
    return existing;
  }
  const asset: Asset = Object.freeze({ code, scale, minorMax });
  assets.set(code, asset);
  return asset;
}

export const USDT = defineAsset('USDT', 6);
export const TRX = defineAsset('TRX', 6);
export const USD = defineAsset('USD', 2);
export const EUR = defineAsset('EUR', 2);

export function assetByCode(code: unknown): Asset {
  const asset = typeof code === 'string' ? assets.get(code) : undefined;
  if (!asset) throw new MoneyError('unknown_asset', `unknown asset ${JSON.stringify(code)}`);
  return asset;
}
