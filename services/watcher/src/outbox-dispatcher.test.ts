// Proves the outbox dispatcher on the real PostgreSQL, with outbox rows the deposit store's own SQL wrote and a
// hand-over function in place of Temporal: every committed event is handed over once, as the contract's DepositEvent
// and in sequence order per deposit, then marked; a hand-over that fails once leaves its row (and the deposit's later
// events) undelivered and unmarked, and the next pass delivers it, so a Temporal outage never loses a deposit; a row
// whose payload breaks the contract is never handed over and stops only its own deposit.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import type { DepositEvent } from '@cardgate/contracts';
import { depositEventSchema } from '@cardgate/contracts/deposit-event';
import { useTestDatabase } from '@cardgate/test-harness';
import { createDepositStore } from '@cardgate/deposit-store';
import { createOutboxDispatcher, type DepositHandOver } from './outbox-dispatcher.ts';
import { blocks, observation, testToken } from '@cardgate/deposit-store/testing';

const database = useTestDatabase();
const noRows = z.object({});

/** Records every event it is given; `failOnce` names events (txId:sequence) whose first hand-over fails. */
function recordingHandOver(failOnce: ReadonlySet<string> = new Set()) {
  const attempts: DepositEvent[] = [];
  const delivered: DepositEvent[] = [];
  const failed = new Set<string>();
  const handOver: DepositHandOver = {
    async handOver(event) {
      attempts.push(event);
      const key = `${event.txId}:${event.sequence}`;
      if (failOnce.has(key) && !failed.has(key)) {
        failed.add(key);
        throw new Error(`Temporal unavailable (${key})`);
      }
      delivered.push(event);
    },
  };
  return { handOver, attempts, delivered };
}

/** Two deposits with two events each (seen, then final), committed by the real store. */
async function twoDepositsSeenThenFinal() {
  const store = createDepositStore(database.pool, testToken());
  const run = blocks(1, 2);
  const deposits = [observation(run[0]!, 3_000_000n), observation(run[1]!, 4_000_000n)];
  await store.applyBlocks(undefined, run, deposits);
  await store.finalize(2);
  return deposits.map((deposit) => deposit.txId);
}

describe('outbox dispatcher', () => {
  it('hands over every committed event once, as the contract’s shape, in sequence order per deposit', async () => {
    const txIds = await twoDepositsSeenThenFinal();
    const recorder = recordingHandOver();
    const dispatcher = createOutboxDispatcher({
      pool: database.pool,
      handOver: recorder.handOver,
      batchRowsMax: 100,
      concurrencyMax: 4,
    });
    const result = await dispatcher.dispatchOnce();
    expect(result.dispatched).toBe(4);
    expect(result.latenciesMs).toHaveLength(4);
    for (const txId of txIds)
      expect(
        recorder.delivered
          .filter((event) => event.txId === txId)
          .map((event) => [event.event, event.sequence]),
      ).toEqual([
        ['seen', 1],
        ['final', 2],
      ]);
    for (const event of recorder.delivered) expect(depositEventSchema.parse(event)).toEqual(event);
    expect(await dispatcher.pendingCount()).toBe(0n);
    expect((await dispatcher.dispatchOnce()).dispatched).toBe(0);
    expect(recorder.attempts).toHaveLength(4);
  });

  it('keeps a row whose hand-over failed, and delivers it on the next pass', async () => {
    const [failing, healthy] = await twoDepositsSeenThenFinal();
    const recorder = recordingHandOver(new Set([`${failing}:1`]));
    const dispatcher = createOutboxDispatcher({
      pool: database.pool,
      handOver: recorder.handOver,
      batchRowsMax: 100,
      concurrencyMax: 4,
    });

    await expect(dispatcher.dispatchOnce()).rejects.toThrow(/1 deposit hand-overs failed/);
    // The other deposit went through; the failed event and the one after it stay for the next pass.
    expect(recorder.delivered.map((event) => `${event.txId}:${event.sequence}`).sort()).toEqual(
      [`${healthy}:1`, `${healthy}:2`].sort(),
    );
    expect(await dispatcher.pendingCount()).toBe(2n);
    expect(await dispatcher.pendingCount(1)).toBe(1n); // a count stops at its bound

    const retry = await dispatcher.dispatchOnce();
    expect(retry.dispatched).toBe(2);
    expect(
      recorder.delivered
        .filter((event) => event.txId === failing)
        .map((event) => [event.event, event.sequence]),
    ).toEqual([
      ['seen', 1],
      ['final', 2],
    ]);
    expect(await dispatcher.pendingCount()).toBe(0n);
  });

  it('never hands over a payload that breaks the contract, and stops only that deposit', async () => {
    const [broken, healthy] = await twoDepositsSeenThenFinal();
    // A row as a faulty writer would leave it: the amount as a JSON number.
    await database.pool.query(sql.type(noRows)`
      insert into deposit_outbox (tx_id, log_index, sequence, event, payload)
      select tx_id, log_index, 3, 'final', payload || '{"amountMinor": 3000000}'::jsonb
      from deposit_outbox where tx_id = ${broken!} and sequence = 2`);
    const recorder = recordingHandOver();
    const dispatcher = createOutboxDispatcher({
      pool: database.pool,
      handOver: recorder.handOver,
      batchRowsMax: 100,
      concurrencyMax: 4,
    });
    await expect(dispatcher.dispatchOnce()).rejects.toThrow(/1 deposit hand-overs failed/);
    expect(recorder.attempts.filter((event) => event.sequence === 3)).toEqual([]);
    expect(recorder.delivered.filter((event) => event.txId === healthy)).toHaveLength(2);
    expect(await dispatcher.pendingCount()).toBe(1n);
    // Tests in this file share the database: leave nothing pending for the next one.
    await database.pool.query(sql.type(noRows)`
      update deposit_outbox set dispatched_at = now() where tx_id = ${broken!} and sequence = 3`);
  });
});
