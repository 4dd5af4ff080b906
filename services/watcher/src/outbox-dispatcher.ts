// Delivers committed outbox rows to Temporal in id order, then marks them dispatched. A crash between the delivery
// and the mark delivers the row again; the deposit workflow ignores events whose sequence it has already seen, so
// a repeat changes nothing. Events of one deposit go one after another; different deposits go in parallel.
import type { DatabasePool } from '@cardgate/db';
import type { DepositEvent } from '@cardgate/contracts';
import { depositEventSchema } from '@cardgate/contracts/deposit-event';
import { createDepositOutbox, type OutboxRow } from '@cardgate/deposit-store';

export interface DepositHandOver {
  /** Starts or signals the deposit's workflow; must be safe to call again with the same event. */
  handOver(event: DepositEvent): Promise<void>;
}

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
  const { handOver } = options;
  const outbox = createDepositOutbox(options.pool);
  return {
    async dispatchOnce(): Promise<DispatchResult> {
      const rows = await outbox.undispatched(options.batchRowsMax);
      if (rows.length === 0) return { dispatched: 0, latenciesMs: [] };
      const byDeposit = new Map<string, OutboxRow[]>();
      for (const row of rows) {
        const key = `${row.txId}:${row.logIndex}`;
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
              latenciesMs.push(Date.now() - Number(row.createdAtMs));
            }
          } catch (error) {
            failures.push(error);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrencyMax, groups.length) }, lane));
      await outbox.markDispatched(delivered);
      if (failures.length > 0)
        throw new AggregateError(failures, `${failures.length} deposit hand-overs failed`);
      return { dispatched: delivered.length, latenciesMs };
    },

    /** Undispatched events, counted up to `countMax` (the store's bound by default). */
    async pendingCount(countMax?: number): Promise<bigint> {
      return outbox.pendingCount(countMax);
    },
  };
}

export type OutboxDispatcher = ReturnType<typeof createOutboxDispatcher>;
