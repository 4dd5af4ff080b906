// Proves the USDT → USD quote: converted at the rate rounded down to the cent, spread rounded up, gross = net + spread.
import { describe, expect, it } from 'vitest';
import { parseMoney, USDT } from '@cardgate/money';
import { quoteUsdtToUsd } from './fx-quote.ts';

describe('FX quote', () => {
  it('converts at the rate, rounding down to the cent, and takes the spread rounded up', () => {
    const quote = quoteUsdtToUsd(parseMoney('100.009999', USDT), '0.9995', 150n);
    expect(quote.gross.minor).toBe(9_995n); // 100.009999 × 0.9995 = 99.95999 → 99.95 (floor)
    expect(quote.spread.minor).toBe(150n); // 1.5% of 99.95 = 1.49925 → 1.50 (ceil)
    expect(quote.net.minor).toBe(9_845n);
    expect(quote.net.minor + quote.spread.minor).toBe(quote.gross.minor);
    expect(quote.net.asset.code).toBe('USD');
  });

  it('gives nothing for less than a cent', () => {
    expect(quoteUsdtToUsd(parseMoney('0.009', USDT), '1', 0n).net.minor).toBe(0n);
  });
});
