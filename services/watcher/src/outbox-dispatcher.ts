// Delivers committed outbox rows to Temporal in id order, then marks them dispatched. A crash between the delivery
// and the mark delivers the row again; the deposit workflow ignores events whose sequence it has already seen, so
// a repeat changes nothing. Events of one deposit go one after another; different deposits go in parallel.
import { sql, type DatabasePool } from '@cardgate/db';
import { z } from 'zod';
import { depositEventKinds, type DepositEvent } from '@cardgate/contracts';
import { depositEventSchema } from '@cardgate/contracts/deposit-event';

export interface DepositHandOver {
  /** Starts or signals the deposit's workflow; must be safe to call again with the same event. */
  handOver(event: DepositEvent): Promise<void>;
}

const outboxRow = z.object({
  id: z.bigint(),
  tx_id: z.string(),
  log_index: z.number(),
  sequence: z.number(),
  event: z.enum(depositEventKinds),
  // Checked against the contract per row (below), so one malformed row stops only its own deposit.
  payload: z.record(z.string(), z.unknown()),
  created_at_ms: z.bigint(),
});
const noRows = z.object({});

export interface DispatcherOptions {
  readonly pool: DatabasePool;
  readonly handOver: DepositHandOver;
  /** Upper bound on rows read per pass. */
  readonly batchRowsMax: number;
  /** Upper bound on deposits handed over at once. */
  readonly concurrencyMax: number;
}

export interface DispatchResult {
  readonly dispatched: number;
  /** Milliseconds from each row's commit to its delivery, for the latency figures. */
  readonly latenciesMs: readonly number[];
}

export function createOutboxDispatcher(options: DispatcherOptions) {
  const { pool, handOver } = options;
  return {
    async dispatchOnce(): Promise<DispatchResult> {
      const rows = await pool.any(sql.type(outboxRow)`
        select id, tx_id, log_index, sequence, event, payload,
               (extract(epoch from created_at) * 1000)::int8 as created_at_ms
        from deposit_outbox where dispatched_at is null order by id limit ${options.batchRowsMax}`);
      if (rows.length === 0) return { dispatched: 0, latenciesMs: [] };
      const byDeposit = new Map<string, (typeof rows)[number][]>();
      for (const row of rows) {
        const key = `${row.tx_id}:${row.log_index}`;
        const group = byDeposit.get(key);
        if (group) group.push(row);
        else byDeposit.set(key, [row]);
      }
      const latenciesMs: number[] = [];
      const delivered: bigint[] = [];
      const groups = [...byDeposit.values()];
      // A fixed pool of lanes, each taking the next deposit; a failure stops that lane and is reported after.
      let next = 0;
      const failures: unknown[] = [];
      const lane = async (): Promise<void> => {
        while (next < groups.length) {
          const group = groups[next++]!;
          try {
            for (const row of group) {
              // The row's columns are authoritative for kind and order (rows written before the payload carried
              // `event` have it only there); the event handed over is exactly the contract's shape.
              const event = depositEventSchema.parse({
                ...row.payload,
                event: row.event,
                sequence: row.sequence,
              });
              await handOver.handOver(event);
              delivered.push(row.id);
              latenciesMs.push(Date.now() - Number(row.created_at_ms));
            }
          } catch (error) {
            failures.push(error);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrencyMax, groups.length) }, lane));
      if (delivered.length > 0)
        await pool.query(sql.type(noRows)`
          update deposit_outbox set dispatched_at = now() where id = any(${sql.array(delivered, 'int8')})`);
      if (failures.length > 0)
        throw new AggregateError(failures, `${failures.length} deposit hand-overs failed`);
      return { dispatched: delivered.length, latenciesMs };
    },

    async pendingCount(): Promise<bigint> {
      return pool.oneFirst(sql.type(z.object({ count: z.bigint() }))`
        select count(*) as count from deposit_outbox where dispatched_at is null`);
    },
  };
}

export type OutboxDispatcher = ReturnType<typeof createOutboxDispatcher>;
