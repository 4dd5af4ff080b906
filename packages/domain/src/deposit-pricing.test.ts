// Proves the deposit fee (fixed + basis points rounded up, capped at the deposit) and the review threshold.
import { describe, expect, it } from 'vitest';
import { parseMoney, USDT } from '@cardgate/money';
import { priceDeposit } from './deposit-pricing.ts';

const usdt = (text: string) => parseMoney(text, USDT, { allowZero: true });
const pricing = { feeFixed: usdt('0.5'), feeBasisPoints: 100n, reviewBelow: usdt('5') };

describe('deposit pricing', () => {
  it('charges the fixed fee plus 1% rounded up to the next micro-USDT', () => {
    const price = priceDeposit(usdt('100.000001'), pricing);
    expect(price.fee.minor).toBe(500_000n + 1_000_001n); // 1% of 100.000001 = 1.00000001 → 1.000001
    expect(price.net.minor + price.fee.minor).toBe(price.gross.minor);
    expect(price.heldForReview).toBe(false);
  });

  it('holds a deposit strictly below the minimum for review, and never charges more than the deposit', () => {
    expect(priceDeposit(usdt('4.999999'), pricing).heldForReview).toBe(true);
    expect(priceDeposit(usdt('5'), pricing).heldForReview).toBe(false);
    const tiny = priceDeposit(usdt('0.1'), pricing);
    expect(tiny.fee.minor).toBe(100_000n);
    expect(tiny.net.minor).toBe(0n);
  });
});
