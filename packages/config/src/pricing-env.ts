// The product's prices and the card program's limits as environment variables, shared by every process that
// charges or shows them (the worker books with them, the API shows and checks them), so both read the same names.
// They have no defaults: a deployment states them; `npm run dev` and the tests pass their own.
import { parseMoney, parseRate, USD, USDT, type Asset, type Money } from '@cardgate/money';
import { z } from 'zod';

function amountOf(asset: Asset) {
  return z.string().transform((value, context): Money => {
    try {
      return parseMoney(value, asset, { allowZero: true });
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: error instanceof Error ? error.message : `invalid ${asset.code} amount`,
      });
      return z.NEVER;
    }
  });
}

export const envUsdtAmount = amountOf(USDT);
export const envUsdAmount = amountOf(USD);
export const envBasisPoints = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,3}|10000)$/, 'must be whole basis points 0..10000')
  .transform((value) => BigInt(value));
export const envRate = z.string().refine((value) => {
  try {
    parseRate(value);
    return true;
  } catch {
    return false;
  }
}, 'must be a positive decimal rate');

export const pricingEnvironment = {
  DEPOSIT_FEE_FIXED_USDT: envUsdtAmount,
  DEPOSIT_FEE_BPS: envBasisPoints,
  DEPOSIT_REVIEW_BELOW_USDT: envUsdtAmount,
  CARD_ISSUE_FEE_USDT: envUsdtAmount,
  USDT_USD_RATE: envRate,
  FX_SPREAD_BPS: envBasisPoints,
};

/** The card program's limits, in USD (see packages/domain program-limits.ts). */
export const programLimitsEnvironment = {
  CARD_LIMIT_PER_LOAD_USD: envUsdAmount,
  CARD_LIMIT_DAILY_USD: envUsdAmount,
  CARD_LIMIT_MONTHLY_USD: envUsdAmount,
  CARD_BALANCE_MAX_USD: envUsdAmount,
};
