// A user's balances: every ledger account the user owns (the USDT wallet and each card's USD account), read by owner
// (index ledger_account_by_owner). THE ONE PLACE to swap for packages/user-balances (`createUserBalances(pool)
// .ofUser(userId)`, branch api-reads) once it is on main, so operators and the Mini App read balances alike.
import type { LedgerReads } from '@cardgate/ledger';
import { assetByCode, moneyFromMinor, type Money } from '@cardgate/money';

export interface AccountBalance {
  /** The ledger account's code: `user:<id>:wallet:USDT`, `card:<cardId>:USD`. */
  readonly account: string;
  /** Moved for good: credits posted − debits posted. */
  readonly posted: Money;
  /**
   * What open pending transfers will change it by once posted: pending credits − pending debits (a deposit held for
   * review is positive, a card load being made or an authorization negative). The same meaning as
   * packages/user-balances, so the swap is a mapping.
   */
  readonly pending: Money;
  /** What can be spent now: posted − pending debits. */
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
      pending: moneyFromMinor(account.creditsPending - account.debitsPending, asset),
      available: moneyFromMinor(posted - account.debitsPending, asset),
    };
  });
}
