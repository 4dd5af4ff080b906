// Proves the program limit check without a database: a load that fits every limit passes and says what is left; a
// load over one limit names the first limit it breaks (per load, per day, per month, card balance, in that order) and
// what is left of it, never negative even when usage is already past the limit; exactly the remaining amount fits,
// one cent more does not; and the UTC day and month windows start at UTC midnight whatever the time of day.
import { describe, expect, it } from 'vitest';
import { parseMoney, USD, USDT, zero } from '@cardgate/money';
import { checkProgramLimits, programLimitsRemaining, programLimitWindows } from './program-limits.ts';

const usd = (text: string) => parseMoney(text, USD);
const limits = {
  perLoad: usd('500'),
  perDay: usd('1000'),
  perMonth: usd('3000'),
  cardBalanceMax: usd('1000'),
};
const none = { loadedToday: zero(USD), loadedThisMonth: zero(USD), cardHeld: zero(USD) };

describe('program limits', () => {
  it('passes a load that fits and says what is left of each limit', () => {
    const check = checkProgramLimits(
      limits,
      { loadedToday: usd('100'), loadedThisMonth: usd('700'), cardHeld: usd('250') },
      usd('50'),
    );
    expect(check).toEqual({
      ok: true,
      remaining: {
        perLoad: usd('500'),
        perDay: usd('900'),
        perMonth: usd('2300'),
        cardBalanceMax: usd('750'),
      },
    });
  });

  it('names the first limit a load breaks and what is left of it', () => {
    expect(checkProgramLimits(limits, none, usd('500.01'))).toMatchObject({
      ok: false,
      limit: 'perLoad',
      remaining: usd('500'),
    });
    expect(checkProgramLimits(limits, { ...none, loadedToday: usd('600') }, usd('400.01'))).toMatchObject({
      ok: false,
      limit: 'perDay',
      remaining: usd('400'),
    });
    expect(checkProgramLimits(limits, { ...none, loadedThisMonth: usd('2990') }, usd('10.01'))).toMatchObject(
      {
        ok: false,
        limit: 'perMonth',
        remaining: usd('10'),
      },
    );
    expect(checkProgramLimits(limits, { ...none, cardHeld: usd('999.99') }, usd('0.02'))).toMatchObject({
      ok: false,
      limit: 'cardBalanceMax',
      remaining: usd('0.01'),
    });
  });

  it('lets exactly the remaining amount through and nothing more', () => {
    const usage = { ...none, loadedToday: usd('999.99') };
    expect(checkProgramLimits(limits, usage, usd('0.01')).ok).toBe(true);
    expect(checkProgramLimits(limits, usage, usd('0.02')).ok).toBe(false);
  });

  it('never answers a negative remaining amount, and shows the whole card limit without a card', () => {
    const remaining = programLimitsRemaining(limits, {
      loadedToday: usd('1500'),
      loadedThisMonth: usd('3500'),
    });
    expect(remaining.perDay).toEqual(zero(USD));
    expect(remaining.perMonth).toEqual(zero(USD));
    expect(remaining.cardBalanceMax).toEqual(usd('1000'));
    // A card that went below zero (a force post) leaves more than the limit: the card limit is what the card may hold.
    expect(
      programLimitsRemaining(limits, { ...none, cardHeld: parseMoney('-5', USD, { allowNegative: true }) })
        .cardBalanceMax,
    ).toEqual(usd('1005'));
  });

  it('refuses usage in another asset than the limits', () => {
    expect(() => programLimitsRemaining(limits, { ...none, loadedToday: zero(USDT) })).toThrow(/USDT/);
  });

  it('starts the day and month windows at UTC midnight', () => {
    expect(programLimitWindows(new Date('2026-12-03T23:59:59.999Z'))).toEqual({
      dayStart: new Date('2026-12-03T00:00:00.000Z'),
      monthStart: new Date('2026-12-01T00:00:00.000Z'),
    });
    expect(programLimitWindows(new Date('2027-01-01T00:00:00.000Z'))).toEqual({
      dayStart: new Date('2027-01-01T00:00:00.000Z'),
      monthStart: new Date('2027-01-01T00:00:00.000Z'),
    });
  });
});
