// Where /balance reads from: `BalanceSource` is the one thing the bot needs. The default is the same reader the
// API's GET /v1/balances uses (packages/user-balances: the wallet and every issued card in one prepared statement),
// narrowed to what the bot shows: what can be spent now. Amounts are Money (bigint minor units), formatted only where
// they are shown.
import type { DatabasePool } from '@cardgate/db';
import type { Money } from '@cardgate/money';
import { createUserBalances } from '@cardgate/user-balances';

export interface CardBalance {
  readonly cardId: string;
  readonly available: Money;
}

export interface UserBalances {
  readonly wallet: Money;
  readonly cards: readonly CardBalance[];
}

export interface BalanceSource {
  ofUser(userId: string): Promise<UserBalances>;
}

export function createSharedBalanceSource(pool: DatabasePool): BalanceSource {
  const reader = createUserBalances(pool);
  return {
    async ofUser(userId) {
      const balances = await reader.ofUser(userId);
      return {
        wallet: balances.wallet.available,
        cards: balances.cards.map((card) => ({ cardId: card.cardId, available: card.available })),
      };
    },
  };
}
