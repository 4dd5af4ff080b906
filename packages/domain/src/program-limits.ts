// The card program's limits: prepaid cards sold without full identity checks may hold and take in little (in the EU
// about EUR 150 stored and loaded a month; in the US about $1,000). A deployment states its program's limits in USD.
// The check is pure: the caller gathers what the user loaded in the UTC day and month and what the card holds (under a
// lock, so two loads cannot both pass), and this says whether one more load of `net` USD fits, and what is left.
import { compare, max, subtract, zero, USD, type Money } from '@cardgate/money';

export interface ProgramLimits {
  /** The most one load may put on a card (net USD). */
  readonly perLoad: Money;
  /** The most a user may load in a UTC day, over all cards. */
  readonly perDay: Money;
  /** The most a user may load in a UTC calendar month, over all cards. */
  readonly perMonth: Money;
  /** The most a card may hold. */
  readonly cardBalanceMax: Money;
}

export type ProgramLimitName = keyof ProgramLimits;

/** The order limits are checked in: the first one a load breaks is the one named. */
export const programLimitNames: readonly ProgramLimitName[] = [
  'perLoad',
  'perDay',
  'perMonth',
  'cardBalanceMax',
];

/** What counts against the limits now, in net USD. */
export interface ProgramLimitUsage {
  /** Loads of the user made in the current UTC day, over all cards, not failed. */
  readonly loadedToday: Money;
  /** Loads of the user made in the current UTC month, over all cards, not failed. */
  readonly loadedThisMonth: Money;
  /**
   * What the card holds or is about to hold: its posted balance in the ledger plus its loads still on their way. Absent
   * when no card is concerned (GET /v1/me): the card limit then shows its whole amount as left.
   */
  readonly cardHeld?: Money;
}

export type ProgramLimitsRemaining = { readonly [name in ProgramLimitName]: Money };

export type ProgramLimitCheck =
  | { readonly ok: true; readonly remaining: ProgramLimitsRemaining }
  | {
      readonly ok: false;
      readonly limit: ProgramLimitName;
      /** What is left of the broken limit (never negative). */
      readonly remaining: Money;
      readonly remainingAll: ProgramLimitsRemaining;
    };

const nonNegative = (amount: Money): Money => max(amount, zero(amount.asset));

/** What is left of each limit, never below zero. */
export function programLimitsRemaining(
  limits: ProgramLimits,
  usage: ProgramLimitUsage,
): ProgramLimitsRemaining {
  for (const amount of [usage.loadedToday, usage.loadedThisMonth, usage.cardHeld ?? zero(USD)])
    if (amount.asset.code !== limits.perLoad.asset.code)
      throw new Error(`limit usage in ${amount.asset.code}, limits in ${limits.perLoad.asset.code}`);
  return {
    perLoad: limits.perLoad,
    perDay: nonNegative(subtract(limits.perDay, usage.loadedToday)),
    perMonth: nonNegative(subtract(limits.perMonth, usage.loadedThisMonth)),
    cardBalanceMax: nonNegative(subtract(limits.cardBalanceMax, usage.cardHeld ?? zero(USD))),
  };
}

/** Whether one more load putting `net` on the card fits every limit; if not, the first limit it breaks. */
export function checkProgramLimits(
  limits: ProgramLimits,
  usage: ProgramLimitUsage,
  net: Money,
): ProgramLimitCheck {
  const remaining = programLimitsRemaining(limits, usage);
  for (const limit of programLimitNames)
    if (compare(net, remaining[limit]) > 0)
      return { ok: false, limit, remaining: remaining[limit], remainingAll: remaining };
  return { ok: true, remaining };
}

/** The start of the UTC day and of the UTC calendar month `now` falls in: the windows of perDay and perMonth. */
export function programLimitWindows(now: Date): { readonly dayStart: Date; readonly monthStart: Date } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return {
    dayStart: new Date(Date.UTC(year, month, now.getUTCDate())),
    monthStart: new Date(Date.UTC(year, month, 1)),
  };
}
