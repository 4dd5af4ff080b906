// Plans one step of a card transaction: from what the ledger holds for the transaction (the card_transaction row) and
// the target computed from its events (card-transaction-state.ts), the ledger transfers that move one to the other and
// the row's next value. Pure: the activity reads the row, resolves the accounts, submits the plan and advances the row
// by compare-and-set. Transfer ids carry the version the step leads to, so a repeat after a crash between the ledger
// batch and the row's update finds its transfers already there and writes nothing twice.
import { AppError } from '@cardgate/errors';
import type { TransferRequest } from '@cardgate/ledger';
import { moneyFromMinor, USD } from '@cardgate/money';
import type { CardTransactionTarget } from './card-transaction-state.ts';

/** What the ledger holds for one provider transaction (USD minor units), as card_transaction records it. */
export interface CardTransactionLedgerState {
  readonly appliedVersion: number;
  /** The open authorization: a pending debit of the card account. */
  readonly pendingDebitMinor: bigint;
  readonly pendingDebitTransferId: string | null;
  /** A credit announced but not settled: a pending credit of the card account. */
  readonly pendingCreditMinor: bigint;
  readonly pendingCreditTransferId: string | null;
  readonly debitedMinor: bigint;
  readonly creditedMinor: bigint;
  readonly expired: boolean;
}

export interface CardTransactionAccounts {
  readonly card: bigint;
  readonly providerPrefund: bigint;
}

/**
 * The ids' suffixes and the transfer codes of a card transaction's ledger transfers. Both are stored in the ledger
 * (ids are idempotency keys a repeat must meet again), so they keep the names they were first written with: "hold"
 * there is what code calls the pending debit.
 */
export const cardTransactionTransferNames = {
  pendingDebit: { suffix: 'hold', code: 'card_hold' },
  pendingDebitVoid: { suffix: 'release', code: 'card_hold_release' },
  pendingCredit: { suffix: 'pending-credit', code: 'card_pending_credit' },
  pendingCreditVoid: { suffix: 'credit-release', code: 'card_pending_credit_release' },
  debit: { suffix: 'debit', code: 'card_debit' },
  credit: { suffix: 'credit', code: 'card_credit' },
} as const;

export type CardTransactionPlan =
  | { readonly kind: 'unchanged' }
  | {
      readonly kind: 'apply';
      readonly transfers: readonly TransferRequest[];
      /** The row after the step; its `appliedVersion` is the one the compare-and-set writes. */
      readonly next: CardTransactionLedgerState;
    };

export interface CardTransactionPlanInput {
  readonly providerTransactionId: string;
  readonly state: CardTransactionLedgerState;
  readonly target: CardTransactionTarget;
  /** The workflow's timer (or an expiry event) says the authorization outlived its lifetime. */
  readonly expired: boolean;
  readonly accounts: CardTransactionAccounts;
}

export function planCardTransaction(input: CardTransactionPlanInput): CardTransactionPlan {
  const { state, target, accounts } = input;
  const txn = input.providerTransactionId;
  const expiredNow = input.expired && !state.expired;
  const debitDelta = target.debitedMinor - state.debitedMinor;
  const creditDelta = target.creditedMinor - state.creditedMinor;
  if (debitDelta < 0n || creditDelta < 0n)
    throw new AppError('conflict', `transaction ${txn}: posted amounts cannot shrink`, {
      reason: 'target_regressed',
    });
  const pendingDebitChanges = target.pendingDebitMinor !== state.pendingDebitMinor;
  const pendingCreditChanges = target.pendingCreditMinor !== state.pendingCreditMinor;
  if (debitDelta === 0n && creditDelta === 0n && !pendingDebitChanges && !pendingCreditChanges && !expiredNow)
    return { kind: 'unchanged' };

  const version = state.appliedVersion + 1;
  const prefix = `ctx:${txn}:${version}`;
  const names = cardTransactionTransferNames;
  const idOf = (name: keyof typeof names): string => `${prefix}:${names[name].suffix}`;
  const usd = (minor: bigint) => moneyFromMinor(minor, USD);
  const metadata = { providerTransactionId: txn };
  const cardPays = { debitAccountId: accounts.card, creditAccountId: accounts.providerPrefund };
  const cardReceives = { debitAccountId: accounts.providerPrefund, creditAccountId: accounts.card };
  const transfers: TransferRequest[] = [];
  if (pendingDebitChanges && state.pendingDebitTransferId)
    transfers.push({
      type: 'void_pending',
      id: idOf('pendingDebitVoid'),
      code: names.pendingDebitVoid.code,
      pendingId: state.pendingDebitTransferId,
    });
  if (pendingDebitChanges && target.pendingDebitMinor > 0n)
    transfers.push({
      type: 'pending',
      id: idOf('pendingDebit'),
      code: names.pendingDebit.code,
      ...cardPays,
      amount: usd(target.pendingDebitMinor),
      metadata,
    });
  if (pendingCreditChanges && state.pendingCreditTransferId)
    transfers.push({
      type: 'void_pending',
      id: idOf('pendingCreditVoid'),
      code: names.pendingCreditVoid.code,
      pendingId: state.pendingCreditTransferId,
    });
  if (pendingCreditChanges && target.pendingCreditMinor > 0n)
    transfers.push({
      type: 'pending',
      id: idOf('pendingCredit'),
      code: names.pendingCredit.code,
      ...cardReceives,
      amount: usd(target.pendingCreditMinor),
      metadata,
    });
  if (debitDelta > 0n)
    transfers.push({
      type: 'posted',
      id: idOf('debit'),
      code: names.debit.code,
      ...cardPays,
      amount: usd(debitDelta),
      metadata,
    });
  if (creditDelta > 0n)
    transfers.push({
      type: 'posted',
      id: idOf('credit'),
      code: names.credit.code,
      ...cardReceives,
      amount: usd(creditDelta),
      metadata,
    });

  const pendingDebitTransferId = pendingDebitChanges
    ? target.pendingDebitMinor > 0n
      ? idOf('pendingDebit')
      : null
    : state.pendingDebitTransferId;
  const pendingCreditTransferId = pendingCreditChanges
    ? target.pendingCreditMinor > 0n
      ? idOf('pendingCredit')
      : null
    : state.pendingCreditTransferId;
  return {
    kind: 'apply',
    transfers,
    next: {
      appliedVersion: version,
      pendingDebitMinor: target.pendingDebitMinor,
      pendingDebitTransferId,
      pendingCreditMinor: target.pendingCreditMinor,
      pendingCreditTransferId,
      debitedMinor: target.debitedMinor,
      creditedMinor: target.creditedMinor,
      expired: input.expired || state.expired,
    },
  };
}
