// What a deposit credits: the fee (fixed plus basis points, never more than the deposit) and whether it is below the
// minimum under which funds are held for an operator's review instead of being spendable.
import { add, applyBasisPoints, compare, min, subtract, type Money } from '@cardgate/money';

export interface DepositPricing {
  readonly feeFixed: Money;
  readonly feeBasisPoints: bigint;
  /** Deposits strictly below this are held for review. */
  readonly reviewBelow: Money;
}

export interface DepositPrice {
  readonly gross: Money;
  readonly fee: Money;
  readonly net: Money;
  readonly heldForReview: boolean;
}

export function priceDeposit(gross: Money, pricing: DepositPricing): DepositPrice {
  // The percentage part is rounded up: the fee schedule is a floor for revenue, never a fraction of a unit short.
  const uncapped = add(pricing.feeFixed, applyBasisPoints(gross, pricing.feeBasisPoints, 'ceil'));
  const fee = min(uncapped, gross);
  return { gross, fee, net: subtract(gross, fee), heldForReview: compare(gross, pricing.reviewBelow) < 0 };
}
