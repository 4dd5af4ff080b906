// A user's balances: every ledger account the user owns (the USDT wallet and each card's USD account), read by owner
// (index ledger_account_by_owner). THE ONE PLACE to swap for packages/user-balances (`createUserBalances(pool)
// .ofUser(userId)`, branch api-reads) once it is on main, so operators and the Mini App read balances alike.
import type { LedgerReads } from '@cardgate/ledger';
import { assetByCode, moneyFromMinor, type Money } from '@cardgate/money';

export interface AccountBalance {
  /** The ledger account's code: `user:<id>:wallet:USDT`, `card:<cardId>:USD`. */
  readonly account: string;
  /** Credits posted − debits posted. */
  readonly posted: Money;
  /** Debits reserved, not yet posted (a card load in flight, an authorization). */
  readonly pendingDebits: Money;
  /** Credits reserved, not yet spendable (a deposit held for review, a refund not yet cleared). */
  readonly pendingCredits: Money;
  /** Posted − pending debits: what can be spent. */
  readonly available: Money;
}

export async function balancesOfUser(reads: LedgerReads, userId: string): Promise<AccountBalance[]> {
  const accounts = await reads.accountsOfOwner(userId);
  return accounts.map((account) => {
    const asset = assetByCode(account.asset);
    const posted = account.creditsPosted - account.debitsPosted;
    return {
      account: account.code,
      posted: moneyFromMinor(posted, asset),
      pendingDebits: moneyFromMinor(account.debitsPending, asset),
      pendingCredits: moneyFromMinor(account.creditsPending, asset),
      available: moneyFromMinor(posted - account.debitsPending, asset),
    };
  });
}
