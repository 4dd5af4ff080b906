// Converts the USDT a user loads into the USD put on the card: at the quoted rate, rounded down, less the FX spread
// (basis points, rounded up). The spread is Cardgate's revenue; gross = net + spread exactly.
import { applyBasisPoints, convert, parseRate, subtract, USD, type Money } from '@cardgate/money';

export interface FxQuote {
  /** One USDT buys this many USD, before the spread. */
  readonly rate: string;
  readonly spreadBasisPoints: bigint;
  readonly gross: Money;
  readonly spread: Money;
  readonly net: Money;
}

export function quoteUsdtToUsd(amount: Money, rate: string, spreadBasisPoints: bigint): FxQuote {
  const { converted: gross } = convert(amount, USD, parseRate(rate), 'floor');
  const spread = applyBasisPoints(gross, spreadBasisPoints, 'ceil');
  return { rate, spreadBasisPoints, gross, spread, net: subtract(gross, spread) };
}
