// The sandbox's records on disk, in one SQLite file (node:sqlite, built into Node: a journal, crash recovery and
// in-place updates that an append-only file of our own would need compaction for). WAL with synchronous=FULL: a
// commit is fsynced before it returns, so a change is on disk before the client that caused it hears of it, and a
// `kill -9` loses nothing that was answered. Records are JSON with bigint amounts as decimal strings; a record
// changed again replaces its row, so the file grows with the number of records, not of changes.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { IdempotencyRecord } from './idempotency.ts';
import type { CardRecord, LoadRecord, TransactionRecord, WebhookEvent } from './records.ts';
import type { SandboxStore, SavedSandbox } from './store.ts';

export const sandboxStateFile = 'card-sandbox.sqlite';

type Kind = 'card' | 'load' | 'transaction' | 'idempotency';

const bigintFields = [
  'amount',
  'authorized',
  'hold',
  'debited',
  'credited',
  'pendingCredit',
  'merchantAmount',
];

const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));

/** Parses a card, load or transaction row: its amount fields back to bigint (event payloads keep their strings). */
function fromJson<T>(text: string): T {
  const record = JSON.parse(text) as Record<string, unknown>;
  for (const field of bigintFields)
    if (typeof record[field] === 'string') record[field] = BigInt(record[field]);
  return record as T;
}

/** Deletes the state kept in `directory` (the database and its WAL files), so the next start begins empty. */
export function discardFileStore(directory: string): void {
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(join(directory, sandboxStateFile + suffix), { force: true });
}

export function openFileStore(directory: string): SandboxStore {
  mkdirSync(directory, { recursive: true });
  const database = new DatabaseSync(join(directory, sandboxStateFile));
  database.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    CREATE TABLE IF NOT EXISTS record (
      kind TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, key)
    );
    CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, json TEXT NOT NULL);
  `);
  // The row keeps its rowid on update, so reading by rowid gives the order in which records were made.
  const put = database.prepare(
    'INSERT INTO record (kind, key, json) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET json = excluded.json',
  );
  const readKind = database.prepare('SELECT key, json FROM record WHERE kind = ? ORDER BY rowid');
  const enqueue = database.prepare('INSERT OR IGNORE INTO outbox (event_id, json) VALUES (?, ?)');
  const settle = database.prepare('DELETE FROM outbox WHERE event_id = ?');
  const readOutbox = database.prepare('SELECT json FROM outbox ORDER BY seq');
  let depth = 0;
  let closed = false;

  const write = (kind: Kind, key: string, value: unknown): void => {
    put.run(kind, key, toJson(value));
  };
  const rows = (kind: Kind) => readKind.all(kind) as { key: string; json: string }[];

  return {
    transact<T>(work: () => T): T {
      if (depth > 0) return work();
      database.exec('BEGIN IMMEDIATE');
      depth += 1;
      try {
        return work();
      } finally {
        depth -= 1;
        // Committed even when `work` threw: what it changed in memory before throwing is on disk too.
        database.exec('COMMIT');
      }
    },
    putCard: (card: CardRecord) => write('card', card.token, card),
    putLoad: (load: LoadRecord) => write('load', load.token, load),
    putTransaction: (transaction: TransactionRecord) => write('transaction', transaction.token, transaction),
    putIdempotency: (fullKey: string, record: IdempotencyRecord) => write('idempotency', fullKey, record),
    enqueueWebhook: (event: WebhookEvent) => {
      enqueue.run(event.event_id, JSON.stringify(event));
    },
    settleWebhook: (eventId: string) => {
      // A delivery that ends after stop(): the event stays in the outbox and is sent again at the next start.
      if (!closed) settle.run(eventId);
    },
    read(): SavedSandbox {
      return {
        cards: rows('card').map((row) => JSON.parse(row.json) as CardRecord),
        loads: rows('load').map((row) => fromJson<LoadRecord>(row.json)),
        transactions: rows('transaction').map((row) => fromJson<TransactionRecord>(row.json)),
        idempotency: rows('idempotency').map((row) => ({
          fullKey: row.key,
          record: JSON.parse(row.json) as IdempotencyRecord,
        })),
        outbox: (readOutbox.all() as { json: string }[]).map((row) => JSON.parse(row.json) as WebhookEvent),
      };
    },
    close: () => {
      if (closed) return;
      closed = true;
      database.close();
    },
  };
}
