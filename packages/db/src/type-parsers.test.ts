// Proves the numeric parser never produces a float: integers become bigint exactly (beyond 2^53), fractions stay exact
// decimal strings, and NaN is refused.
import { describe, expect, it } from 'vitest';
import { NumericParseError, parseNumeric } from './type-parsers.ts';

describe('parseNumeric', () => {
  it('returns bigint for integral values, exactly', () => {
    expect(parseNumeric('9007199254740993')).toBe(9_007_199_254_740_993n);
    expect(parseNumeric('-12')).toBe(-12n);
  });

  it('keeps fractional values as exact decimal strings', () => {
    expect(parseNumeric('0.10000000000000000001')).toBe('0.10000000000000000001');
  });

  it('refuses NaN and infinities', () => {
    expect(() => parseNumeric('NaN')).toThrow(NumericParseError);
    expect(() => parseNumeric('Infinity')).toThrow(NumericParseError);
  });
});
