// The whole quote of a card load, fixed when the load is made and stored with it: the rate and spread in force, the
// gross, spread, fee and net USD amounts, the time and the FX configuration's version. Posting books what the quote
// says, never a figure recomputed from the configuration of the moment, so a retry after a price change books the
// spread the user was quoted.
import { moneyFromMinor, USD, type Money } from '@cardgate/money';
import { quoteUsdtToUsd } from './fx-quote.ts';

export interface FxSettings {
  /** One USDT buys this many USD, before the spread (a decimal string). */
  readonly usdtUsdRate: string;
  readonly spreadBasisPoints: bigint;
}

export interface CardLoadQuote {
  readonly amount: Money;
  readonly rate: string;
  readonly spreadBasisPoints: bigint;
  /** USD at the rate, before the spread and fee. */
  readonly gross: Money;
  /** Cardgate's FX revenue. */
  readonly spread: Money;
  /** A load fee in USD: none is configured today, so it is zero; stored so a later fee is booked as quoted too. */
  readonly fee: Money;
  /** What the card receives: gross − spread − fee. */
  readonly net: Money;
  readonly quotedAt: Date;
  readonly configVersion: string;
}

/**
 * The version of the FX configuration a quote was made under. It is made of the settings themselves, so every worker
 * with the same settings names the same version and any change of rate or spread names a new one.
 */
export function fxConfigVersion(settings: FxSettings): string {
  return `usdt-usd=${settings.usdtUsdRate};spread-bps=${settings.spreadBasisPoints}`;
}

export function quoteCardLoad(amount: Money, settings: FxSettings, quotedAt: Date): CardLoadQuote {
  const quote = quoteUsdtToUsd(amount, settings.usdtUsdRate, settings.spreadBasisPoints);
  return {
    amount,
    rate: quote.rate,
    spreadBasisPoints: quote.spreadBasisPoints,
    gross: quote.gross,
    spread: quote.spread,
    fee: moneyFromMinor(0n, USD),
    net: quote.net,
    quotedAt,
    configVersion: fxConfigVersion(settings),
  };
}
