// The deposit outbox as its dispatcher reads it: committed rows not yet handed over, in id order, and marking rows
// handed over once Temporal accepted them. The rows are written by deposit-store.ts in the same transaction as the
// change they announce.
import { sql, type DatabasePool } from '@cardgate/db';
import { z } from 'zod';
import { depositEventKinds } from '@cardgate/contracts';

const outboxRow = z.object({
  id: z.bigint(),
  tx_id: z.string(),
  log_index: z.number(),
  sequence: z.number(),
  event: z.enum(depositEventKinds),
  // Checked against the contract by the dispatcher, per row, so one malformed row stops only its own deposit.
  payload: z.record(z.string(), z.unknown()),
  created_at_ms: z.bigint(),
});
const countRow = z.object({ count: z.bigint() });
const noRows = z.object({});

export interface OutboxRow {
  readonly id: bigint;
  readonly txId: string;
  readonly logIndex: number;
  readonly sequence: number;
  readonly event: (typeof depositEventKinds)[number];
  readonly payload: Readonly<Record<string, unknown>>;
  readonly createdAtMs: bigint;
}

/** Bound on the pending events one count reads (the gauge then reads this many: "at least"). */
export const outboxPendingCountMax = 100_000;

export function createDepositOutbox(pool: DatabasePool) {
  return {
    /** Rows not yet handed over, oldest first, at most `limit`. */
    async undispatched(limit: number): Promise<OutboxRow[]> {
      const rows = await pool.any(sql.type(outboxRow)`
        select id, tx_id, log_index, sequence, event, payload,
               (extract(epoch from created_at) * 1000)::int8 as created_at_ms
        from deposit_outbox where dispatched_at is null order by id limit ${limit}`);
      return rows.map((row) => ({
        id: row.id,
        txId: row.tx_id,
        logIndex: row.log_index,
        sequence: row.sequence,
        event: row.event,
        payload: row.payload,
        createdAtMs: row.created_at_ms,
      }));
    },

    async markDispatched(ids: readonly bigint[]): Promise<void> {
      if (ids.length === 0) return;
      await pool.query(sql.type(noRows)`
        update deposit_outbox set dispatched_at = now() where id = any(${sql.array([...ids], 'int8')})`);
    },

    /**
     * Events committed and not yet dispatched, counted up to `countMax` (a metrics scrape reads at most that many
     * rows of the deposit_outbox_pending index, however large a backlog grows while Temporal is away).
     */
    async pendingCount(countMax = outboxPendingCountMax): Promise<bigint> {
      return pool.oneFirst(sql.type(countRow)`
        select count(*) as count from (
          select 1 from deposit_outbox where dispatched_at is null limit ${countMax}) pending`);
    },
  };
}

export type DepositOutbox = ReturnType<typeof createDepositOutbox>;
