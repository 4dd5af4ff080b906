// Reads of a user's deposits for the user API: every deposit recorded to one address, newest first (by when the
// watcher first saw it, which never changes, unlike a block number after a reorg), a page at a time, each with the
// block the watcher's cursor has reached on its chain, from which the API counts confirmations.
import { sql, type DatabasePool } from '@cardgate/db';
import { AppError } from '@cardgate/errors';
import { z } from 'zod';

/** Bound on one page of a user's deposits. */
export const depositPageRowsMax = 100;

const depositRow = z.object({
  tx_id: z.string(),
  log_index: z.number(),
  chain: z.string(),
  token_contract: z.string(),
  asset: z.string(),
  from_address: z.string(),
  to_address: z.string(),
  amount_minor: z.bigint(),
  block_number: z.bigint(),
  block_timestamp_ms: z.bigint(),
  status: z.enum(['seen', 'final', 'orphaned']),
  seen_at_us: z.bigint(),
  final_at_ms: z.bigint().nullable(),
  head_block_number: z.bigint().nullable(),
});

/** Where a page ends: the last deposit's first-seen time (microseconds since the epoch) and identity. */
export interface DepositPosition {
  readonly seenAtUs: bigint;
  readonly txId: string;
  readonly logIndex: number;
}

export interface RecordedDeposit {
  readonly txId: string;
  readonly logIndex: number;
  readonly chain: string;
  readonly tokenContract: string;
  readonly asset: string;
  readonly from: string;
  readonly to: string;
  readonly amountMinor: bigint;
  readonly blockNumber: bigint;
  readonly blockTimestampMs: bigint;
  /** The watcher's status: in a block not yet final, final (irreversible), or in a block a reorg took away. */
  readonly status: 'seen' | 'final' | 'orphaned';
  readonly seenAt: Date;
  readonly finalAt: Date | null;
  /** The highest block the watcher has recorded on the deposit's chain (its cursor); null before it has one. */
  readonly headBlockNumber: bigint | null;
  readonly position: DepositPosition;
}

export interface DepositPage {
  readonly deposits: readonly RecordedDeposit[];
  /** Pass as `before` for the next page; undefined when this page is the last. */
  readonly next: DepositPosition | undefined;
}

function depositOf(row: z.infer<typeof depositRow>): RecordedDeposit {
  return {
    txId: row.tx_id,
    logIndex: row.log_index,
    chain: row.chain,
    tokenContract: row.token_contract,
    asset: row.asset,
    from: row.from_address,
    to: row.to_address,
    amountMinor: row.amount_minor,
    blockNumber: row.block_number,
    blockTimestampMs: row.block_timestamp_ms,
    status: row.status,
    seenAt: new Date(Number(row.seen_at_us / 1000n)),
    finalAt: row.final_at_ms === null ? null : new Date(Number(row.final_at_ms)),
    headBlockNumber: row.head_block_number,
    position: { seenAtUs: row.seen_at_us, txId: row.tx_id, logIndex: row.log_index },
  };
}

export function createDepositReads(pool: DatabasePool) {
  return {
    /**
     * Deposits to `address` (base58), newest first, `limit` (1..depositPageRowsMax) after `before`. One round trip;
     * the deposit_by_address index finds them (a user has few deposits, so they are sorted after the lookup).
     */
    async toAddress(
      address: string,
      page: { before?: DepositPosition; limit: number },
    ): Promise<DepositPage> {
      if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > depositPageRowsMax)
        throw new AppError('invalid_input', `a page holds 1 to ${depositPageRowsMax} deposits`, {
          reason: 'page_limit',
        });
      const seenAtUs = sql.fragment`(extract(epoch from d.seen_at) * 1000000)::int8`;
      const after = page.before
        ? sql.fragment`and (${seenAtUs}, d.tx_id, d.log_index)
            < (${page.before.seenAtUs}::int8, ${page.before.txId}, ${page.before.logIndex}::int4)`
        : sql.fragment``;
      const rows = await pool.any(sql.type(depositRow)`
        select d.tx_id, d.log_index, d.chain, d.token_contract, d.asset, d.from_address, d.to_address, d.amount_minor,
               d.block_number, d.block_timestamp_ms, d.status, ${seenAtUs} as seen_at_us,
               (extract(epoch from d.final_at) * 1000)::int8 as final_at_ms, c.block_number as head_block_number
        from deposit d left join chain_cursor c on c.chain = d.chain
        where d.to_address = ${address} ${after}
        order by d.seen_at desc, d.tx_id desc, d.log_index desc
        limit ${page.limit}`);
      const deposits = rows.map(depositOf);
      const last = deposits[deposits.length - 1];
      return { deposits, next: deposits.length === page.limit && last ? last.position : undefined };
    },
  };
}

export type DepositReads = ReturnType<typeof createDepositReads>;
