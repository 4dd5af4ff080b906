// Proves the arithmetic rules: only equal assets combine (a mismatch is an error, never a conversion), every result
// stays within the asset's bound, and comparisons are exact beyond 2^53.
import { describe, expect, it } from 'vitest';
import { USD, USDT } from './asset.ts';
import {
  add,
  compare,
  equals,
  max,
  min,
  moneyFromMinor,
  multiplyByInteger,
  negate,
  subtract,
  sum,
  zero,
} from './money.ts';
import { MoneyError } from './money-error.ts';

const usdt = (minor: bigint) => moneyFromMinor(minor, USDT);

describe('arithmetic', () => {
  it('adds, subtracts, negates and sums exactly beyond 2^53', () => {
    const big = usdt(9_007_199_254_740_993n);
    expect(add(big, usdt(2n)).minor).toBe(9_007_199_254_740_995n);
    expect(subtract(usdt(1n), usdt(3n)).minor).toBe(-2n);
    expect(negate(usdt(5n)).minor).toBe(-5n);
    expect(sum(USDT, [usdt(1n), usdt(2n), usdt(3n)]).minor).toBe(6n);
    expect(sum(USDT, []).minor).toBe(0n);
    expect(multiplyByInteger(usdt(7n), 3n).minor).toBe(21n);
  });

  it('refuses to combine different assets', () => {
    const dollars = moneyFromMinor(100n, USD);
    expect(() => add(usdt(1n), dollars)).toThrow(MoneyError);
    expect(() => subtract(usdt(1n), dollars)).toThrow(/cannot combine USDT with USD/);
    expect(() => compare(usdt(1n), dollars)).toThrow(MoneyError);
    expect(() => sum(USDT, [dollars])).toThrow(MoneyError);
    expect(equals(usdt(100n), moneyFromMinor(100n, USD))).toBe(false);
  });

  it('refuses results beyond the bound', () => {
    const top = usdt(USDT.minorMax);
    expect(() => add(top, usdt(1n))).toThrow(/beyond the bound/);
    expect(() => multiplyByInteger(top, 2n)).toThrow(MoneyError);
    expect(() => moneyFromMinor(-USDT.minorMax - 1n, USDT)).toThrow(MoneyError);
  });

  it('compares, and picks min and max', () => {
    expect(compare(usdt(1n), usdt(2n))).toBe(-1);
    expect(compare(usdt(2n), usdt(2n))).toBe(0);
    expect(min(usdt(1n), usdt(2n)).minor).toBe(1n);
    expect(max(usdt(1n), usdt(2n)).minor).toBe(2n);
    expect(zero(USDT).minor).toBe(0n);
  });
});
