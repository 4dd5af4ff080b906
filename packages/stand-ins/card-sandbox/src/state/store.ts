// Where the sandbox's records go when they change: nowhere (in memory, for tests and benchmarks) or to disk
// (file-store.ts), so that a restarted sandbox still knows its cards, loads, transactions and idempotency keys, as a
// real provider would. A put inside `transact` reaches the disk with the others when `transact` returns.
import type { IdempotencyRecord } from './idempotency.ts';
import type { CardRecord, LoadRecord, TransactionRecord, WebhookEvent } from './records.ts';

/** Everything a store holds, in the order the records were first put. */
export interface SavedSandbox {
  readonly cards: readonly CardRecord[];
  readonly loads: readonly LoadRecord[];
  readonly transactions: readonly TransactionRecord[];
  readonly idempotency: readonly { readonly fullKey: string; readonly record: IdempotencyRecord }[];
  /** Webhook events not yet delivered nor given up, oldest first. */
  readonly outbox: readonly WebhookEvent[];
}

export interface SandboxStore {
  /** Runs `work`; what it puts is written, all or nothing, before this returns (even when `work` throws). */
  transact<T>(work: () => T): T;
  putCard(card: CardRecord): void;
  putLoad(load: LoadRecord): void;
  putTransaction(transaction: TransactionRecord): void;
  putIdempotency(fullKey: string, record: IdempotencyRecord): void;
  /** An event to deliver: kept until `settle` (delivered, given up, or no webhook URL to send it to). */
  enqueueWebhook(event: WebhookEvent): void;
  settleWebhook(eventId: string): void;
  read(): SavedSandbox;
  close(): void;
}

export function memoryStore(): SandboxStore {
  return {
    transact: (work) => work(),
    putCard: () => undefined,
    putLoad: () => undefined,
    putTransaction: () => undefined,
    putIdempotency: () => undefined,
    enqueueWebhook: () => undefined,
    settleWebhook: () => undefined,
    read: () => ({ cards: [], loads: [], transactions: [], idempotency: [], outbox: [] }),
    close: () => undefined,
  };
}
