// Proves amounts are shown exactly from their decimal strings, beyond what a float can hold, in both languages;
// that an amount the money package refuses (a JSON number, an exponent) is never guessed at; and that what a user
// types becomes the canonical decimal string or a named problem.
import { describe, expect, it } from 'vitest';
import { formatAmount, formatBasisPointsAsPercent, isNonZero, readAmountInput } from './format-money.ts';

// Intl uses narrow no-break spaces in Russian grouping; compare with plain spaces.
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

describe('formatAmount', () => {
  it('shows every digit of an amount a float would round', () => {
    // 2^53 + 1 USDT minor units: a JS number would print ...992, not ...993.
    expect(formatAmount({ amount: '9007199254.740993', asset: 'USDT' }, 'en')).toBe(
      '9,007,199,254.740993 USDT',
    );
  });

  it('keeps at least two decimals and drops trailing zeros beyond them', () => {
    expect(formatAmount({ amount: '25.5', asset: 'USDT' }, 'en')).toBe('25.50 USDT');
    expect(formatAmount({ amount: '0', asset: 'USD' }, 'en')).toBe('0.00 USD');
    expect(formatAmount({ amount: '1.250000', asset: 'USDT' }, 'en')).toBe('1.25 USDT');
  });

  it('uses Russian grouping and decimal comma', () => {
    expect(plain(formatAmount({ amount: '1234.5', asset: 'USD' }, 'ru'))).toBe('1 234,50 USD');
  });

  it('signs statement lines when asked', () => {
    expect(formatAmount({ amount: '-12.5', asset: 'USD' }, 'en', { signed: true })).toBe('-12.50 USD');
    expect(formatAmount({ amount: '12.5', asset: 'USD' }, 'en', { signed: true })).toBe('+12.50 USD');
  });

  it('refuses what is not an exact decimal string', () => {
    expect(formatAmount({ amount: 25.5 as unknown as string, asset: 'USDT' }, 'en')).toBe('—');
    expect(formatAmount({ amount: '1e3', asset: 'USDT' }, 'en')).toBe('—');
    expect(formatAmount({ amount: '1.001', asset: 'USD' }, 'en')).toBe('—');
    expect(formatAmount({ amount: '1', asset: 'DOGE' }, 'en')).toBe('—');
  });

  it('tells zero from non-zero exactly', () => {
    expect(isNonZero({ amount: '0.000000', asset: 'USDT' })).toBe(false);
    expect(isNonZero({ amount: '0.000001', asset: 'USDT' })).toBe(true);
  });
});

describe('readAmountInput', () => {
  it('turns what the user typed into the canonical decimal string', () => {
    expect(readAmountInput(' 25,5 ')).toEqual({ ok: true, amount: { amount: '25.500000', asset: 'USDT' } });
    expect(readAmountInput('007')).toEqual({ ok: true, amount: { amount: '7.000000', asset: 'USDT' } });
  });

  it('names each problem', () => {
    expect(readAmountInput('')).toEqual({ ok: false, problem: 'empty' });
    expect(readAmountInput('abc')).toEqual({ ok: false, problem: 'malformed' });
    expect(readAmountInput('1e3')).toEqual({ ok: false, problem: 'malformed' });
    expect(readAmountInput('1.1234567')).toEqual({ ok: false, problem: 'tooManyDecimals' });
    expect(readAmountInput('0')).toEqual({ ok: false, problem: 'zero' });
    expect(readAmountInput('-5')).toEqual({ ok: false, problem: 'malformed' });
    expect(readAmountInput('99999999999999')).toEqual({ ok: false, problem: 'tooLarge' });
  });
});

describe('formatBasisPointsAsPercent', () => {
  it('moves the decimal point two places, in each language', () => {
    expect(formatBasisPointsAsPercent('100', 'en')).toBe('1');
    expect(formatBasisPointsAsPercent('150', 'en')).toBe('1.5');
    expect(formatBasisPointsAsPercent('5', 'en')).toBe('0.05');
    expect(formatBasisPointsAsPercent('0', 'en')).toBe('0');
    expect(formatBasisPointsAsPercent('150', 'ru')).toBe('1,5');
  });

  it('shows a dash for anything but a plain integer string', () => {
    expect(formatBasisPointsAsPercent('1.5', 'en')).toBe('—');
    expect(formatBasisPointsAsPercent('-5', 'en')).toBe('—');
    expect(formatBasisPointsAsPercent(150 as unknown as string, 'en')).toBe('—');
  });
});
