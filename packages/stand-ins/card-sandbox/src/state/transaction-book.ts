// Card transactions and their events: each event is numbered within its transaction and carries the transaction's
// merchant details; a transaction is saved each time an event is added to it, which every simulate call ends with.
import { formatAmount } from '../money-text.ts';
import { newToken } from './tokens.ts';
import {
  currency,
  SandboxError,
  stateLimits,
  type EventKind,
  type MerchantDetails,
  type SimulateResult,
  type TransactionOrigin,
  type TransactionRecord,
  type WebhookEvent,
} from './records.ts';
import type { SandboxStore } from './store.ts';

export class TransactionBook {
  readonly #store: SandboxStore;
  readonly #now: () => Date;
  readonly #transactions = new Map<string, TransactionRecord>();
  readonly #byCard = new Map<string, TransactionRecord[]>();

  constructor(store: SandboxStore, now: () => Date) {
    this.#store = store;
    this.#now = now;
  }

  get count(): number {
    return this.#transactions.size;
  }

  transaction(transactionToken: string): TransactionRecord {
    const transaction = this.#transactions.get(transactionToken);
    if (!transaction)
      throw new SandboxError(404, 'transaction_not_found', `no transaction ${transactionToken}`);
    return transaction;
  }

  /** Every transaction, oldest first. */
  all(): IterableIterator<TransactionRecord> {
    return this.#transactions.values();
  }

  /** Oldest first. */
  of(cardToken: string): readonly TransactionRecord[] {
    return this.#byCard.get(cardToken) ?? [];
  }

  open(
    cardToken: string,
    origin: TransactionOrigin,
    result: SimulateResult,
    amount: bigint,
    merchant: MerchantDetails,
  ): TransactionRecord {
    if (this.#transactions.size >= stateLimits.transactions)
      throw new SandboxError(422, 'limit_reached', 'too many transactions');
    const transaction: TransactionRecord = {
      token: newToken('txn'),
      cardToken,
      origin,
      result,
      authorized: amount,
      hold: 0n,
      debited: 0n,
      credited: 0n,
      pendingCredit: 0n,
      released: null,
      descriptor: merchant.descriptor,
      mcc: merchant.mcc ?? null,
      merchantAmount: merchant.merchantAmount ?? amount,
      merchantCurrency: merchant.merchantCurrency ?? currency,
      created: this.#now().toISOString(),
      events: [],
    };
    this.#add(transaction);
    return transaction;
  }

  /** Adds the event that records the transaction's latest change, and saves the transaction with it. */
  event(transaction: TransactionRecord, kind: EventKind, amount: bigint): WebhookEvent {
    if (transaction.events.length >= stateLimits.eventsPerTransaction)
      throw new SandboxError(422, 'limit_reached', 'too many events on this transaction');
    const event: WebhookEvent = {
      event_id: newToken('evt'),
      event_type: 'card_transaction.updated',
      created: this.#now().toISOString(),
      payload: {
        transaction_token: transaction.token,
        card_token: transaction.cardToken,
        kind,
        result: transaction.result,
        sequence: transaction.events.length + 1,
        amount: formatAmount(amount),
        currency,
        merchant_amount: formatAmount(transaction.merchantAmount),
        merchant_currency: transaction.merchantCurrency,
        mcc: transaction.mcc,
        descriptor: transaction.descriptor,
      },
    };
    transaction.events.push(event);
    this.#store.putTransaction(transaction);
    return event;
  }

  /** Puts back transactions read from disk, oldest first. */
  restore(transactions: readonly TransactionRecord[]): void {
    for (const transaction of transactions) this.#add(transaction);
  }

  #add(transaction: TransactionRecord): void {
    this.#transactions.set(transaction.token, transaction);
    const ofCard = this.#byCard.get(transaction.cardToken);
    if (ofCard) ofCard.push(transaction);
    else this.#byCard.set(transaction.cardToken, [transaction]);
  }
}
