// Proves conversion rounds exactly as declared: 'down' ≤ exact ≤ 'up' and they differ by at most one minor unit,
// 'half_even' matches a reference computed independently, the remainder accounts for the exact difference, and bad
// rates are refused. Also fees in basis points.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EUR, USD, USDT } from './asset.ts';
import { applyBasisPoints, convert, parseRate } from './convert.ts';
import { moneyFromMinor } from './money.ts';
import { MoneyError } from './money-error.ts';
import { divideRounded, roundingModes } from './rounding.ts';

describe('convert', () => {
  it('converts USDT to USD at a rate, rounding down what the user receives', () => {
    const amount = moneyFromMinor(10_000_000n, USDT); // 10 USDT
    const result = convert(amount, USD, '0.998765', 'down');
    expect(result.converted.minor).toBe(998n); // 9.98765 USD → 9.98
    // 0.765 of a cent was rounded away and is accounted for exactly
    expect(result.remainderNumerator * 1000n).toBe(765n * result.remainderDenominator);
    expect(convert(amount, USD, '0.998765', 'up').converted.minor).toBe(999n);
  });

  it('converts between equal scales and keeps exact results unrounded', () => {
    expect(convert(moneyFromMinor(1000n, USD), EUR, '0.9', 'down').converted.minor).toBe(900n);
    expect(convert(moneyFromMinor(1000n, USD), EUR, '0.9', 'up').converted.minor).toBe(900n);
  });

  it('rounds as declared for any amount and rate (property)', () => {
    const rateArbitrary = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 12 }))
      .map(([digits, decimals]) => {
        const text = digits.toString().padStart(decimals + 1, '0');
        return decimals === 0
          ? text
          : `${text.slice(0, text.length - decimals)}.${text.slice(text.length - decimals)}`;
      });
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), rateArbitrary, (minor, rateText) => {
        const amount = moneyFromMinor(minor, USDT);
        let down: bigint;
        try {
          down = convert(amount, USD, rateText, 'down').converted.minor;
        } catch (error) {
          return error instanceof MoneyError && error.reason === 'out_of_range';
        }
        const up = convert(amount, USD, rateText, 'up').converted.minor;
        const halfEven = convert(amount, USD, rateText, 'half_even');
        const rate = parseRate(rateText);
        // exact value × denominator, as an independent reference
        const exactScaled = minor * rate.numerator * 100n;
        const denominator = 10n ** BigInt(rate.decimals + 6);
        const distanceUp = up > down ? up - down : down - up;
        if (distanceUp > 1n) return false;
        if (minor >= 0n && !(down * denominator <= exactScaled && exactScaled <= up * denominator))
          return false;
        if (minor < 0n && !(up * denominator <= exactScaled && exactScaled <= down * denominator))
          return false;
        // remainder: exact = converted + remainder / denominator
        if (halfEven.converted.minor * denominator + halfEven.remainderNumerator !== exactScaled)
          return false;
        // half_even: the distance to the exact value is at most half a unit, ties to even
        const twiceDistance =
          2n *
          (halfEven.remainderNumerator < 0n ? -halfEven.remainderNumerator : halfEven.remainderNumerator);
        if (twiceDistance > denominator) return false;
        if (twiceDistance === denominator && halfEven.converted.minor % 2n !== 0n) return false;
        return true;
      }),
      { numRuns: 3_000 },
    );
  });

  it('refuses bad rates', () => {
    for (const rate of ['0', '-1', '1e3', ' 1', '1.', '.5', 'abc', '0.0000000000000000001', '1,5'])
      expect(() => convert(moneyFromMinor(1n, USDT), USD, rate, 'down'), rate).toThrow(MoneyError);
    expect(() => parseRate(1.5)).toThrow(/decimal string/);
  });
});

describe('divideRounded', () => {
  it('implements each mode on positive and negative ties and non-ties', () => {
    const table: [bigint, bigint, Record<string, bigint>][] = [
      [5n, 2n, { down: 2n, up: 3n, floor: 2n, ceil: 3n, half_even: 2n, half_up: 3n }],
      [7n, 2n, { down: 3n, up: 4n, floor: 3n, ceil: 4n, half_even: 4n, half_up: 4n }],
      [-5n, 2n, { down: -2n, up: -3n, floor: -3n, ceil: -2n, half_even: -2n, half_up: -3n }],
      [7n, 3n, { down: 2n, up: 3n, floor: 2n, ceil: 3n, half_even: 2n, half_up: 2n }],
      [6n, 3n, { down: 2n, up: 2n, floor: 2n, ceil: 2n, half_even: 2n, half_up: 2n }],
    ];
    for (const [numerator, denominator, expected] of table)
      for (const mode of roundingModes)
        expect(divideRounded(numerator, denominator, mode), `${numerator}/${denominator} ${mode}`).toBe(
          expected[mode],
        );
  });
});

describe('applyBasisPoints', () => {
  it('computes a fee with the named rounding', () => {
    const amount = moneyFromMinor(1_234_567n, USDT);
    expect(applyBasisPoints(amount, 150n, 'up').minor).toBe(18_519n); // 18518.505 → up
    expect(applyBasisPoints(amount, 150n, 'down').minor).toBe(18_518n);
    expect(() => applyBasisPoints(amount, 10_001n, 'up')).toThrow(MoneyError);
  });
});
