// A user's balances: the USDT wallet and each card's USD account, as the ledger holds them, with each card's state
// from the card store. Read in ONE round trip (one prepared statement): the ledger's query of the accounts a user owns
// (ledger_account_by_owner) joined with the card store's query of the user's cards. Each owner writes the SQL that
// names its table; this module only joins the two results, so every table keeps its one owner and the read stays a
// single statement (the hot path of GET /v1/balances and the bot's /balance).
import { cardOfUserRow, cardsOfUserQuery, type CardOfUserRow } from '@cardgate/card-store';
import { sql, type DatabasePool } from '@cardgate/db';
import { chart } from '@cardgate/domain';
import { accountsOwnedByQuery, ledgerAccountFromRow, ledgerAccountRow, type Account } from '@cardgate/ledger';
import { assetByCode, moneyFromMinor, USDT, type Money } from '@cardgate/money';

/** One account as its owner sees it (a liability of Cardgate's: credits are what the user has). */
export interface AccountBalance {
  /** Moved for good: credits posted − debits posted. */
  readonly posted: Money;
  /**
   * What open pending transfers will change it by once posted: pending credits − pending debits (a card hold or a
   * card load being made is negative; a deposit held for review is positive).
   */
  readonly pending: Money;
  /** What can be spent now: posted − pending debits (pending credits are not spendable until posted). */
  readonly available: Money;
}

export interface CardBalance extends AccountBalance {
  readonly cardId: string;
  readonly state: CardOfUserRow['card_state'];
  readonly autoLoad: boolean;
}

export interface UserBalances {
  /** The USDT wallet; zero before the user's first deposit opens it. */
  readonly wallet: AccountBalance;
  /** Each card with a ledger account (issued cards), oldest account first. */
  readonly cards: readonly CardBalance[];
}

const balanceRow = ledgerAccountRow.extend({
  card_id: cardOfUserRow.shape.card_id.nullable(),
  card_state: cardOfUserRow.shape.card_state.nullable(),
  card_ledger_account_id: cardOfUserRow.shape.card_ledger_account_id,
  card_auto_load: cardOfUserRow.shape.card_auto_load.nullable(),
});

export function balanceOfAccount(account: Account): AccountBalance {
  const asset = assetByCode(account.asset);
  const posted = account.creditsPosted - account.debitsPosted;
  return {
    posted: moneyFromMinor(posted, asset),
    pending: moneyFromMinor(account.creditsPending - account.debitsPending, asset),
    available: moneyFromMinor(posted - account.debitsPending, asset),
  };
}

const zeroWallet: AccountBalance = {
  posted: moneyFromMinor(0n, USDT),
  pending: moneyFromMinor(0n, USDT),
  available: moneyFromMinor(0n, USDT),
};

export function createUserBalances(pool: DatabasePool) {
  return {
    async ofUser(userId: string): Promise<UserBalances> {
      const walletCode = chart.wallet(userId).code;
      // The statement's text is the same for every user (only the values differ), so one name prepares it once per
      // pooled connection.
      const rows = await pool.any(sql.prepared('cardgate_user_balances', balanceRow)`
        select a.*, c.* from (${accountsOwnedByQuery(userId)}) a
        left join (${cardsOfUserQuery(userId)}) c on c.card_ledger_account_id = a.id
        order by a.id`);
      let wallet = zeroWallet;
      const cards: CardBalance[] = [];
      for (const row of rows) {
        const account = ledgerAccountFromRow(row);
        if (account.code === walletCode) wallet = balanceOfAccount(account);
        else if (row.card_id !== null && row.card_state !== null)
          cards.push({
            cardId: row.card_id,
            state: row.card_state,
            autoLoad: row.card_auto_load === true,
            ...balanceOfAccount(account),
          });
        // Any other account the user owns (none in today's chart; a card whose row does not name its account yet, in
        // the moment between the two writes of a card's opening) has no balance the user is shown.
      }
      return { wallet, cards };
    },
  };
}

export type UserBalancesReader = ReturnType<typeof createUserBalances>;
