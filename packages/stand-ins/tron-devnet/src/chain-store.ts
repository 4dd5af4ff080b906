// The devnet's chain on disk: its journal of changes (chain.ts's ChainOperation) in one SQLite file (node:sqlite,
// built into Node), replayed on start to rebuild the same chain. WAL with synchronous=FULL: a change is fsynced
// before it takes effect, so nothing a client saw is lost to `kill -9`. Growth is bounded by what happened, not by
// time: the block produced every second extends the journal's last `produce` entry in place instead of adding one, so
// a day of empty blocks is one row.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ChainJournal, ChainOperation } from './chain.ts';

export const chainStateFile = 'tron-devnet.sqlite';

/** What a chain is made with; a journal replayed into a chain made otherwise would build another chain. */
export interface ChainIdentity {
  readonly usdtContract: string;
  readonly faucetAddress: string;
}

export interface ChainStore {
  readonly genesisTimestampMs: number;
  /** The recorded changes, oldest first. */
  readonly operations: readonly ChainOperation[];
  readonly journal: ChainJournal;
  close(): void;
}

/** Deletes the chain kept in `directory` (the database and its WAL files), so the next start makes a new one. */
export function discardChainStore(directory: string): void {
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(join(directory, chainStateFile + suffix), { force: true });
}

export function openChainStore(directory: string, identity: ChainIdentity, nowMs = Date.now()): ChainStore {
  mkdirSync(directory, { recursive: true });
  const database = new DatabaseSync(join(directory, chainStateFile));
  database.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = FULL;
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS operation (seq INTEGER PRIMARY KEY, json TEXT NOT NULL);
  `);
  const readMeta = database.prepare('SELECT value FROM meta WHERE key = ?');
  const writeMeta = database.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  const meta = (key: string): string | undefined =>
    (readMeta.get(key) as { value: string } | undefined)?.value;

  const stored = { usdtContract: meta('usdtContract'), faucetAddress: meta('faucetAddress') };
  if (stored.usdtContract === undefined) {
    database.exec('BEGIN IMMEDIATE');
    writeMeta.run('genesisTimestampMs', String(nowMs));
    writeMeta.run('usdtContract', identity.usdtContract);
    writeMeta.run('faucetAddress', identity.faucetAddress);
    database.exec('COMMIT');
  } else if (
    stored.usdtContract !== identity.usdtContract ||
    stored.faucetAddress !== identity.faucetAddress
  ) {
    database.close();
    throw new Error(
      `the chain kept in ${directory} was made with USDT ${stored.usdtContract} and faucet ${stored.faucetAddress}; ` +
        'start with --fresh (or another state directory) to make a chain with other ones',
    );
  }
  const genesisTimestampMs = Number(meta('genesisTimestampMs'));

  const rows = database.prepare('SELECT seq, json FROM operation ORDER BY seq').all() as {
    seq: number;
    json: string;
  }[];
  const operations = rows.map((row) => JSON.parse(row.json) as ChainOperation);
  const insert = database.prepare('INSERT INTO operation (json) VALUES (?)');
  const update = database.prepare('UPDATE operation SET json = ? WHERE seq = ?');
  // The last row, when it is a `produce`: the next `produce` adds to its count.
  const lastRow = rows.at(-1);
  const lastOperation = operations.at(-1);
  let lastProduce =
    lastRow && lastOperation?.op === 'produce' ? { seq: lastRow.seq, count: lastOperation.count } : undefined;
  let closed = false;

  const journal: ChainJournal = {
    record(operation) {
      if (closed) throw new Error('the devnet chain store is closed');
      if (operation.op === 'produce' && lastProduce) {
        const count = lastProduce.count + operation.count;
        update.run(JSON.stringify({ op: 'produce', count }), lastProduce.seq);
        lastProduce = { seq: lastProduce.seq, count };
        return;
      }
      const result = insert.run(JSON.stringify(operation));
      lastProduce =
        operation.op === 'produce'
          ? { seq: Number(result.lastInsertRowid), count: operation.count }
          : undefined;
    },
  };

  return {
    genesisTimestampMs,
    operations,
    journal,
    close: () => {
      if (closed) return;
      closed = true;
      database.close();
    },
  };
}
