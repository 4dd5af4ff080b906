// What the user API needs to know of the product: prices (the same variables the worker prices with), the card
// program's limits, how long a quote holds, and what a deposit must be. Parsed once at start-up (env.ts).
import type { DepositPricing, FxSettings, ProgramLimits } from '@cardgate/domain';
import type { Money } from '@cardgate/money';

export interface ProductSettings {
  readonly prices: {
    readonly deposit: DepositPricing;
    readonly cardIssueFee: Money;
    readonly fx: FxSettings;
  };
  readonly limits: ProgramLimits;
  /** How long a card-load quote may be accepted. */
  readonly quoteLifetimeMs: number;
  readonly deposits: {
    /** The TRC-20 USDT contract deposits must come from (base58). */
    readonly tokenContract: string;
    /** Blocks after which the watcher calls a deposit final (19 on mainnet: solidified after 18 later blocks). */
    readonly confirmationsNeeded: number;
    /** The account-level extended public key deposit addresses are derived from (watch-only). */
    readonly addressXpub: string;
    readonly addressAccount: number;
  };
}
