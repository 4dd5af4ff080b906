// What the API answers for a card, a load and a transaction: the records rendered with amounts as strings of minor
// units (API.md), and a transaction's status derived from its amounts.
import { formatAmount } from '../money-text.ts';
import {
  currency,
  type Balance,
  type CardRecord,
  type CardView,
  type LoadRecord,
  type LoadView,
  type TransactionRecord,
  type TransactionStatus,
  type TransactionView,
} from './records.ts';

export function cardView(card: CardRecord, balance: Balance): CardView {
  return {
    token: card.token,
    type: card.type,
    state: card.state,
    last_four: card.lastFour,
    created: card.created,
    memo: card.memo,
    balance: {
      currency,
      available_amount: formatAmount(balance.available),
      pending_amount: formatAmount(balance.pending),
      settled_amount: formatAmount(balance.settled),
    },
  };
}

export function loadView(load: LoadRecord): LoadView {
  return {
    token: load.token,
    card_token: load.cardToken,
    idempotency_key: load.idempotencyKey,
    amount: formatAmount(load.amount),
    currency,
    status: 'SETTLED',
    created: load.created,
  };
}

export function transactionStatus(transaction: TransactionRecord): TransactionStatus {
  if (transaction.result !== 'APPROVED') return 'DECLINED';
  if (transaction.hold > 0n || transaction.pendingCredit > 0n) return 'PENDING';
  if (transaction.debited > 0n || transaction.credited > 0n) return 'SETTLED';
  return transaction.released ?? 'SETTLED';
}

export function transactionView(transaction: TransactionRecord): TransactionView {
  const sign = transaction.origin === 'RETURN' ? -1n : 1n;
  return {
    token: transaction.token,
    card_token: transaction.cardToken,
    status: transactionStatus(transaction),
    amount: formatAmount(sign * transaction.authorized),
    settled_amount: formatAmount(transaction.debited - transaction.credited),
    pending_amount: formatAmount(transaction.hold),
    descriptor: transaction.descriptor,
    mcc: transaction.mcc,
    merchant_amount: formatAmount(transaction.merchantAmount),
    merchant_currency: transaction.merchantCurrency,
    created: transaction.created,
    events: [...transaction.events],
  };
}
