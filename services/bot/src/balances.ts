// Where /balance reads from: `BalanceSource` is the one thing the bot needs. `createLedgerBalanceSource` reads the
// ledger by account code (the user's USDT wallet, each issued card's USD account) until the API's shared balance
// reader replaces it. Amounts are Money (bigint minor units), formatted only where they are shown.
import type { CardTable } from '@cardgate/card-store';
import { chart } from '@cardgate/domain';
import { balanceOf, type Ledger } from '@cardgate/ledger';
import { assetByCode, moneyFromMinor, USD, USDT, zero, type Money } from '@cardgate/money';

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

type LedgerReads = Pick<Ledger, 'accountByCode'>;

async function availableOf(ledger: LedgerReads, code: string, asset: typeof USDT): Promise<Money> {
  const account = await ledger.accountByCode(code);
  if (account === undefined) return zero(asset);
  return moneyFromMinor(balanceOf(account).available, assetByCode(account.asset));
}

export function createLedgerBalanceSource(dependencies: {
  readonly ledger: LedgerReads;
  readonly cards: Pick<CardTable, 'issuedOfUser'>;
}): BalanceSource {
  const { ledger, cards } = dependencies;
  return {
    async ofUser(userId) {
      const wallet = await availableOf(ledger, chart.wallet(userId).code, USDT);
      const issued = await cards.issuedOfUser(userId);
      const cardBalances: CardBalance[] = [];
      for (const card of issued)
        cardBalances.push({
          cardId: card.id,
          available: await availableOf(ledger, chart.card(card.id, userId).code, USD),
        });
      return { wallet, cards: cardBalances };
    },
  };
}
