// Looking a user up: by Cardgate id, @username or Telegram id (packages/users `find`), with the user's balances,
// deposits and cards. Deposits come from the ledger (each credit or held credit on the user's wallet, with what became
// of it): a deposit the chain has not finalized yet is not in the ledger and shows only in the user API's list.
import type { CardStore } from '@cardgate/card-store';
import { chart } from '@cardgate/domain';
import { AppError } from '@cardgate/errors';
import type { LedgerReads, TransferKind } from '@cardgate/ledger';
import { assetByCode, moneyFromMinor, type Money } from '@cardgate/money';
import type { User, UserStore } from '@cardgate/users';
import { depositLedgerCodes } from './held-deposits.ts';
import { balancesOfUser, type AccountBalance } from './user-balances.ts';

/** Users detailed in one answer at most (an exact id, username or Telegram id matches one or two). */
export const usersShownMax = 5;
/** Deposits and cards shown per user at most: the newest. */
export const depositsShownMax = 20;
export const cardsShownMax = 20;

export type DepositState = 'credited' | 'held_for_review' | 'released' | 'rejected' | 'expired';

export interface UserDeposit {
  readonly txId: string;
  readonly logIndex: number;
  readonly amount: Money;
  readonly state: DepositState;
  readonly at: Date;
}

export interface UserCard {
  readonly cardId: string;
  readonly state: string;
  readonly providerToken: string | null;
}

export interface UserDetails {
  readonly user: User;
  readonly balances: readonly AccountBalance[];
  readonly deposits: readonly UserDeposit[];
  readonly cards: readonly UserCard[];
}

function stateOf(code: string, resolvedBy: TransferKind | null): DepositState {
  if (code === depositLedgerCodes.credited) return 'credited';
  if (resolvedBy === 'post_pending') return 'released';
  if (resolvedBy === 'void_pending') return 'rejected';
  if (resolvedBy === 'expire_pending') return 'expired';
  return 'held_for_review';
}

export function createUserLookUp(dependencies: { users: UserStore; reads: LedgerReads; cards: CardStore }) {
  const { users, reads, cards } = dependencies;

  async function depositsOf(userId: string): Promise<UserDeposit[]> {
    const wallet = await reads.accountByCode(chart.wallet(userId).code);
    if (!wallet) return [];
    const entries = await reads.transfersByCode(
      wallet.id,
      [depositLedgerCodes.credited, depositLedgerCodes.held],
      depositsShownMax,
    );
    // The deposit workflow writes every deposit credit with its tx id and log index in the metadata; a credit without
    // them is not a deposit's (a test's or a manual funding) and is left out.
    return entries
      .filter((entry) => entry.transfer.creditAccountId === wallet.id)
      .flatMap(({ transfer, resolvedBy }) => {
        const { txId, logIndex } = transfer.metadata;
        if (typeof txId !== 'string' || typeof logIndex !== 'number') return [];
        return [{ transfer, resolvedBy, txId, logIndex }];
      })
      .map(({ transfer, resolvedBy, txId, logIndex }) => ({
        txId,
        logIndex,
        amount: moneyFromMinor(transfer.amountMinor, assetByCode(transfer.asset)),
        state: stateOf(transfer.code, resolvedBy),
        at: transfer.createdAt,
      }));
  }

  return async function lookUp(query: string): Promise<UserDetails[]> {
    const found = (await users.find(query)).slice(0, usersShownMax);
    if (found.length === 0)
      throw new AppError('not_found', `no user matches ${query}`, { reason: 'user_not_found' });
    return Promise.all(
      found.map(async (user) => ({
        user,
        balances: await balancesOfUser(reads, user.id),
        deposits: await depositsOf(user.id),
        cards: (await cards.cards.listOfUser(user.id, { limit: cardsShownMax })).map((card) => ({
          cardId: card.id,
          state: card.state,
          providerToken: card.providerToken,
        })),
      })),
    );
  };
}
