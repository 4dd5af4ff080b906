// Proves strict parsing: every kind of bad input is refused with its own reason (a JSON number is refused, not
// coerced), good input parses exactly, and parse(format(x)) == x for every amount within the bound of every asset.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EUR, TRX, USD, USDT, assetByCode, type Asset } from './asset.ts';
import { formatMinor, formatMoney, moneyFromJson, moneyToJson } from './format.ts';
import { moneyFromMinor } from './money.ts';
import { MoneyError, type MoneyErrorReason } from './money-error.ts';
import { parseMinorUnits, parseMoney } from './parse.ts';

function reasonOf(attempt: () => unknown): MoneyErrorReason | undefined {
  try {
    attempt();
  } catch (error) {
    if (error instanceof MoneyError) return error.reason;
    throw error;
  }
  return undefined;
}

describe('parseMoney rejects', () => {
  const cases: [string, unknown, MoneyErrorReason][] = [
    ['a JSON number', 12.5, 'not_a_string'],
    ['an integer number', 12, 'not_a_string'],
    ['a bigint', 12n, 'not_a_string'],
    ['null', null, 'not_a_string'],
    ['an empty string', '', 'empty'],
    ['leading whitespace', ' 1.00', 'whitespace'],
    ['trailing newline', '1.00\n', 'whitespace'],
    ['an exponent', '1e6', 'exponent'],
    ['an upper-case exponent', '1E-2', 'exponent'],
    ['a plus sign', '+1.00', 'sign_not_allowed'],
    ['a negative amount by default', '-1.00', 'sign_not_allowed'],
    ['zero by default', '0.000000', 'zero_not_allowed'],
    ['too many decimals', '1.0000001', 'too_many_decimals'],
    ['a leading zero', '01.5', 'leading_zero'],
    ['a leading dot', '.5', 'malformed'],
    ['a trailing dot', '1.', 'malformed'],
    ['hex', '0x10', 'malformed'],
    ['underscores', '1_000', 'malformed'],
    ['a thousands comma', '1,000.00', 'malformed'],
    ['a decimal comma', '1,5', 'malformed'],
    ['NaN', 'NaN', 'malformed'],
    ['Infinity', 'Infinity', 'malformed'],
    ['a double minus', '--1', 'malformed'],
    ['above the bound', '1000000000000000.000001', 'out_of_range'],
    ['an absurdly long string', '1'.repeat(100), 'out_of_range'],
  ];
  for (const [label, input, reason] of cases)
    it(label, () => {
      expect(reasonOf(() => parseMoney(input, USDT))).toBe(reason);
    });

  it('USD amounts with three decimals', () => {
    expect(reasonOf(() => parseMoney('1.005', USD))).toBe('too_many_decimals');
  });
});

describe('parseMoney accepts', () => {
  it('parses exactly into minor units', () => {
    expect(parseMoney('12.5', USDT).minor).toBe(12_500_000n);
    expect(parseMoney('0.000001', USDT).minor).toBe(1n);
    expect(parseMoney('999999999999.999999', USDT).minor).toBe(999_999_999_999_999_999n);
    expect(parseMoney('0.1', USD).minor).toBe(10n);
    expect(parseMoney('7', EUR).minor).toBe(700n);
  });

  it('accepts negative and zero only when asked', () => {
    expect(parseMoney('-1.25', USD, { allowNegative: true }).minor).toBe(-125n);
    expect(parseMoney('0', USD, { allowZero: true }).minor).toBe(0n);
  });
});

describe('parseMinorUnits', () => {
  it('parses integer minor units and refuses decimals and numbers', () => {
    expect(parseMinorUnits('1250', USD).minor).toBe(1250n);
    expect(reasonOf(() => parseMinorUnits('12.50', USD))).toBe('malformed');
    expect(reasonOf(() => parseMinorUnits(1250, USD))).toBe('not_a_string');
    expect(reasonOf(() => parseMinorUnits('007', USD))).toBe('leading_zero');
  });
});

describe('formatting', () => {
  it('always prints exactly the asset scale', () => {
    expect(formatMoney(parseMoney('1.5', USDT))).toBe('1.500000');
    expect(formatMoney(moneyFromMinor(5n, USD))).toBe('0.05');
    expect(formatMoney(moneyFromMinor(-5n, USD))).toBe('-0.05');
    expect(formatMinor(moneyFromMinor(1250n, USD))).toBe('1250');
  });

  const assets: Asset[] = [USDT, TRX, USD, EUR];
  for (const asset of assets)
    it(`round-trips every ${asset.code} amount within the bound (property)`, () => {
      fc.assert(
        fc.property(fc.bigInt({ min: -asset.minorMax, max: asset.minorMax }), (minor) => {
          const money = moneyFromMinor(minor, asset);
          const text = formatMoney(money);
          const parsed = parseMoney(text, asset, { allowNegative: true, allowZero: true });
          return parsed.minor === minor && parsed.asset === asset;
        }),
        { numRuns: 2_000 },
      );
    });

  it('round-trips through the JSON shape and refuses any other shape', () => {
    const money = parseMoney('10.25', USD);
    expect(moneyFromJson(moneyToJson(money)).minor).toBe(1025n);
    expect(reasonOf(() => moneyFromJson({ amount: 10.25, asset: 'USD' }))).toBe('not_a_string');
    expect(reasonOf(() => moneyFromJson({ amount: '10.25', asset: 'XXX' }))).toBe('unknown_asset');
    expect(reasonOf(() => moneyFromJson({ amount: '10.25', asset: 'USD', extra: 1 }))).toBe('malformed');
    expect(reasonOf(() => assetByCode(42))).toBe('unknown_asset');
  });
});
