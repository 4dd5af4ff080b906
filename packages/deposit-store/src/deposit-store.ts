// The watcher's writes to the deposit tables. Every change of chain position and the deposits it reveals is written
// in one transaction together with the outbox rows that hand the change to Temporal, so a crash at any point either
// keeps all of it or none of it, and the dispatcher later delivers exactly what was committed.
import { sql, type DatabasePool, type DatabaseTransactionConnection } from '@cardgate/db';
import { z } from 'zod';
import type { DepositEvent } from '@cardgate/contracts';

// Row schemas are built once, at module load: zod compiles a parser for each object schema it first parses (measured: a
// schema built and first parsed per call costs about 97 µs, a reused one 0.08 µs).
const blockNumberRow = z.object({ block_number: z.bigint() });

/** A block as the watcher records it (the watcher's chain source gives these; extra fields are ignored). */
export interface BlockHeader {
  readonly number: number;
  /** 64 hex characters, lower case. */
  readonly hash: string;
  readonly parentHash: string;
  readonly timestampMs: bigint;
}

/** A successful transfer of the watched token to one of our addresses, in the block it was seen in. */
export interface DepositObservation {
  readonly txId: string;
  /** Index of the log within its transaction; with txId, the deposit's identity. */
  readonly logIndex: number;
  /** Base58 addresses. */
  readonly from: string;
  readonly to: string;
  readonly amountMinor: bigint;
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly blockTimestampMs: bigint;
}

export interface WatchedToken {
  readonly chain: string;
  /** Base58 address of the token contract; the only contract whose logs count. */
  readonly contract: string;
  readonly asset: string;
}

export class CursorMovedError extends Error {
  constructor(chain: string) {
    super(`the ${chain} cursor moved under this watcher: another watcher is active`);
    this.name = 'CursorMovedError';
  }
}

const cursorRow = z.object({ block_number: z.bigint(), block_hash: z.string() });
const blockRow = z.object({ block_number: z.bigint(), block_hash: z.string(), parent_hash: z.string() });
const changedRow = z.object({ tx_id: z.string(), log_index: z.number() });
const countRow = z.object({ count: z.bigint() });
const confirmingRow = z.object({
  tx_id: z.string(),
  log_index: z.number(),
  to_address: z.string(),
  block_number: z.bigint(),
});

/** A deposit in a block that is not final yet: the user sees its confirmations count up. */
export interface ConfirmingDeposit {
  readonly txId: string;
  readonly logIndex: number;
  readonly to: string;
  readonly blockNumber: number;
}
/** For statements that return no rows; rowCount still tells how many rows they touched. */
const noRows = z.object({});

export class FinalityViolatedError extends Error {
  constructor(chain: string, ancestorNumber: number) {
    super(
      `a ${chain} reorg reached below final deposits (common ancestor ${ancestorNumber}): stopping for an operator`,
    );
    this.name = 'FinalityViolatedError';
  }
}

export class RescanMismatchError extends Error {
  constructor(chain: string, blockNumber: number) {
    super(
      `${chain} block ${blockNumber} differs from the one the watcher recorded: not rescanning a different chain`,
    );
    this.name = 'RescanMismatchError';
  }
}

export interface CursorPosition {
  readonly number: number;
  readonly hash: string;
}

export function createDepositStore(pool: DatabasePool, token: WatchedToken) {
  const chain = token.chain;

  async function moveCursor(
    connection: DatabaseTransactionConnection,
    from: CursorPosition | undefined,
    to: CursorPosition,
  ): Promise<void> {
    if (!from) {
      const inserted = await connection.query(sql.type(noRows)`
        insert into chain_cursor (chain, block_number, block_hash) values (${chain}, ${to.number}, ${to.hash})
        on conflict (chain) do nothing`);
      if (inserted.rowCount !== 1) throw new CursorMovedError(chain);
      return;
    }
    // Optimistic check on top of the leader lock: the cursor must still be where this watcher left it.
    const updated = await connection.query(sql.type(noRows)`
      update chain_cursor set block_number = ${to.number}, block_hash = ${to.hash}, updated_at = now()
      where chain = ${chain} and block_number = ${from.number} and block_hash = ${from.hash}
`);
    if (updated.rowCount !== 1) throw new CursorMovedError(chain);
  }

  /**
   * Records deposits (new ones, or orphaned ones seen again) with one outbox event each: 'final' when their block is
   * at or below `finalNumber`, else 'seen'. A deposit already seen or final is left as it is.
   */
  async function upsertDeposits(
    connection: DatabaseTransactionConnection,
    deposits: readonly DepositObservation[],
    finalNumber: number,
  ): Promise<number> {
    if (deposits.length === 0) return 0;
    const changed = await connection.query(sql.type(changedRow)`
      with input as (
        select * from unnest(
          ${sql.array(
            deposits.map((d) => d.txId),
            'text',
          )}, ${sql.array(
            deposits.map((d) => d.logIndex),
            'int4',
          )},
          ${sql.array(
            deposits.map((d) => d.from),
            'text',
          )}, ${sql.array(
            deposits.map((d) => d.to),
            'text',
          )},
          ${sql.array(
            deposits.map((d) => d.amountMinor.toString()),
            'text',
          )},
          ${sql.array(
            deposits.map((d) => d.blockNumber),
            'int8',
          )}, ${sql.array(
            deposits.map((d) => d.blockHash),
            'text',
          )},
          ${sql.array(
            deposits.map((d) => d.blockTimestampMs.toString()),
            'text',
          )}
        ) as t(tx_id, log_index, from_address, to_address, amount_minor, block_number, block_hash, block_timestamp_ms)
      ), upserted as (
        insert into deposit (tx_id, log_index, chain, token_contract, asset, from_address, to_address, amount_minor,
                             block_number, block_hash, block_timestamp_ms, status, event_sequence, final_at)
        select tx_id, log_index, ${chain}, ${token.contract}, ${token.asset}, from_address, to_address,
               amount_minor::int8, block_number, block_hash, block_timestamp_ms::int8,
               case when block_number <= ${finalNumber} then 'final' else 'seen' end, 1,
               case when block_number <= ${finalNumber} then now() end
        from input
        on conflict (tx_id, log_index) do update
          set block_number = excluded.block_number, block_hash = excluded.block_hash,
              block_timestamp_ms = excluded.block_timestamp_ms, status = excluded.status,
              final_at = excluded.final_at, event_sequence = deposit.event_sequence + 1
          where deposit.status = 'orphaned'
        returning *
      )
      insert into deposit_outbox (tx_id, log_index, sequence, event, payload)
      select tx_id, log_index, event_sequence, status, ${depositPayloadSql}
      from upserted
      returning tx_id, log_index`);
    return changed.rowCount;
  }

  return {
    async loadCursor(): Promise<CursorPosition | undefined> {
      const row = await pool.maybeOne(sql.type(cursorRow)`
        select block_number, block_hash from chain_cursor where chain = ${chain}`);
      return row ? { number: Number(row.block_number), hash: row.block_hash } : undefined;
    },

    async storedBlock(number: number): Promise<BlockHeader | undefined> {
      const row = await pool.maybeOne(sql.type(blockRow)`
        select block_number, block_hash, parent_hash from chain_block where chain = ${chain} and block_number = ${number}`);
      return row
        ? {
            number: Number(row.block_number),
            hash: row.block_hash,
            parentHash: row.parent_hash,
            timestampMs: 0n,
          }
        : undefined;
    },

    /**
     * Records a run of blocks that extends the cursor: their hashes, the deposits to our addresses in them, the
     * outbox events for new or re-included deposits, and the new cursor. Returns how many deposits were new.
     */
    async applyBlocks(
      from: CursorPosition | undefined,
      blocks: readonly BlockHeader[],
      deposits: readonly DepositObservation[],
      /** Deposits at or below this block are final on first sight (catching up): one 'final' event, no 'seen'. */
      finalNumber = -1,
    ): Promise<number> {
      const last = blocks[blocks.length - 1];
      if (!last) return 0;
      return pool.transaction(async (connection) => {
        await moveCursor(connection, from, { number: last.number, hash: last.hash });
        await connection.query(sql.type(noRows)`
          insert into chain_block (chain, block_number, block_hash, parent_hash)
          select ${chain}, number, hash, parent
          from unnest(${sql.array(
            blocks.map((b) => b.number),
            'int8',
          )}, ${sql.array(
            blocks.map((b) => b.hash),
            'text',
          )},
                      ${sql.array(
                        blocks.map((b) => b.parentHash),
                        'text',
                      )}) as input(number, hash, parent)
          on conflict (chain, block_number) do update set block_hash = excluded.block_hash, parent_hash = excluded.parent_hash`);
        return upsertDeposits(connection, deposits, finalNumber);
      });
    },

    /**
     * Forgets everything above `ancestor`: deposits seen in orphaned blocks become 'orphaned' (with an outbox event),
     * the stored block hashes above it go, and the cursor moves back to it.
     */
    async rewind(from: CursorPosition, ancestor: CursorPosition): Promise<number> {
      return pool.transaction(async (connection) => {
        await moveCursor(connection, from, ancestor);
        // Final means irreversible: money may already have moved. Never quietly un-final a deposit.
        const finalAbove = await connection.oneFirst(sql.type(countRow)`
          select count(*) as count from deposit
          where chain = ${chain} and status = 'final' and block_number > ${ancestor.number}`);
        if (finalAbove > 0n) throw new FinalityViolatedError(chain, ancestor.number);
        await connection.query(sql.type(noRows)`
          delete from chain_block where chain = ${chain} and block_number > ${ancestor.number}`);
        const orphaned = await connection.query(sql.type(changedRow)`
          with orphaned as (
            update deposit set status = 'orphaned', event_sequence = event_sequence + 1
            where chain = ${chain} and status = 'seen' and block_number > ${ancestor.number}
            returning *
          )
          insert into deposit_outbox (tx_id, log_index, sequence, event, payload)
          select tx_id, log_index, event_sequence, 'orphaned', ${depositPayloadSql} from orphaned
          returning tx_id, log_index`);
        return orphaned.rowCount;
      });
    },

    /** Marks every seen deposit at or below `finalNumber` final, with its outbox event. Returns how many. */
    async finalize(finalNumber: number): Promise<number> {
      const finalized = await pool.query(sql.type(changedRow)`
        with finalized as (
          update deposit set status = 'final', final_at = now(), event_sequence = event_sequence + 1
          where chain = ${chain} and status = 'seen' and block_number <= ${finalNumber}
          returning *
        )
        insert into deposit_outbox (tx_id, log_index, sequence, event, payload)
        select tx_id, log_index, event_sequence, 'final', ${depositPayloadSql} from finalized
        returning tx_id, log_index`);
      return finalized.rowCount;
    },

    /**
     * Records deposits found by re-reading blocks the cursor has already passed (an operator's rescan). The cursor does
     * not move; a block whose hash differs from the one the watcher stored is refused, because the chain it belongs to
     * is not the one the watcher followed.
     */
    async recordRescan(
      blocks: readonly BlockHeader[],
      deposits: readonly DepositObservation[],
      finalNumber: number,
    ): Promise<number> {
      return pool.transaction(async (connection) => {
        const mismatched = await connection.any(sql.type(blockNumberRow)`
          select c.block_number from chain_block c
          join unnest(${sql.array(
            blocks.map((b) => b.number),
            'int8',
          )}, ${sql.array(
            blocks.map((b) => b.hash),
            'text',
          )})
            as input(number, hash) on c.block_number = input.number
          where c.chain = ${chain} and c.block_hash <> input.hash`);
        if (mismatched.length > 0) throw new RescanMismatchError(chain, Number(mismatched[0]!.block_number));
        return upsertDeposits(connection, deposits, finalNumber);
      });
    },

    /** Drops stored block hashes well below the final block; reorgs never reach there. */
    async pruneBlocks(belowNumber: number): Promise<void> {
      await pool.query(sql.type(noRows)`
        delete from chain_block where chain = ${chain} and block_number < ${belowNumber}`);
    },

    /** Deposits seen and not final yet, newest first, at most `countMax`. */
    async confirmingDeposits(countMax: number): Promise<ConfirmingDeposit[]> {
      const rows = await pool.any(sql.type(confirmingRow)`
        select tx_id, log_index, to_address, block_number from deposit
        where chain = ${chain} and status = 'seen'
        order by block_number desc, tx_id, log_index limit ${countMax}`);
      return rows.map((row) => ({
        txId: row.tx_id,
        logIndex: row.log_index,
        to: row.to_address,
        blockNumber: Number(row.block_number),
      }));
    },

    async countDeposits(status: 'seen' | 'final' | 'orphaned'): Promise<bigint> {
      return pool.oneFirst(sql.type(countRow)`
        select count(*) as count from deposit where chain = ${chain} and status = ${status}`);
    },
  };
}

/**
 * The outbox payload: a DepositEvent (`@cardgate/contracts`) built from a `deposit` row, its status as the event kind.
 * Amounts and int8s as decimal strings, never JSON numbers. Typed by the contract's keys, so a field added to the
 * schema does not compile until the SQL builds it too; deposit-store.test.ts checks what PostgreSQL builds against
 * the schema for every event kind.
 */
const depositEventColumns: { readonly [Key in keyof DepositEvent]-?: ReturnType<typeof sql.fragment> } = {
  txId: sql.fragment`tx_id`,
  logIndex: sql.fragment`log_index`,
  chain: sql.fragment`chain`,
  tokenContract: sql.fragment`token_contract`,
  asset: sql.fragment`asset`,
  from: sql.fragment`from_address`,
  to: sql.fragment`to_address`,
  amountMinor: sql.fragment`amount_minor::text`,
  blockNumber: sql.fragment`block_number::text`,
  blockHash: sql.fragment`block_hash`,
  blockTimestampMs: sql.fragment`block_timestamp_ms::text`,
  event: sql.fragment`status`,
  sequence: sql.fragment`event_sequence`,
};
const depositPayloadSql = sql.fragment`jsonb_build_object(${sql.join(
  Object.entries(depositEventColumns).map(([key, column]) => sql.fragment`${key}::text, ${column}`),
  sql.fragment`, `,
)})`;

export type DepositStore = ReturnType<typeof createDepositStore>;
