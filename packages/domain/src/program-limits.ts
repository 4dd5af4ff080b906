// The card program's limits: prepaid cards sold without full identity checks may hold and take in little (in the EU
// about EUR 150 stored and loaded a month; in the US about $1,000). A deployment states its program's limits in USD.
import type { Money } from '@cardgate/money';

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
