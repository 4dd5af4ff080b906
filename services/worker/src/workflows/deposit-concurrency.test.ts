// Proves deposit workflows stay answerable and replayable when many run at once on a busy worker: sixteen deposits,
// each seen then final, with their local activities slowed (a loaded database) and a short workflow task timeout,
// so tasks time out, local activities outlive their workflow task and results land in the task after their marker;
// a task that times out is retried from the whole history, replaying it, and so are queries then. The state query is
// asked of every deposit all along and must always answer (a query replay failed with TMPRL1100 under bench:api
// before the fix in deposit.workflow.ts), every deposit ends credited exactly once, and every history replays
// against the workflow code. Load makes the failing shape only sometimes: it is replayed deterministically by
// replay.test.ts (histories/deposit-credit-patch-after-heartbeat.json, recorded with this setup).
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { sql } from '@cardgate/db';
import { depositEventSignalName, depositWorkflowId, type DepositEvent } from '@cardgate/contracts';
import { uniqueSuffix, useTestDatabase, workflowHistoryJson } from '@cardgate/test-harness';
import { withTestWorker } from '../testing.ts';
import { workflowsPath } from '../worker.ts';
import { depositWorkflow } from './deposit.workflow.ts';

const database = useTestDatabase({ maxPoolSize: 20 });
const noRows = z.object({});

/**
 * Deposits in flight at once. With 16 on a shared 2-core machine, the failing history shape (a patch marker in the
 * task after its local activity's marker) came up in two runs of seven here.
 */
const depositsInFlight = 16;
/** The most a local activity is held back (a loaded database): beyond the 80 % of the task timeout core waits. */
const localActivityDelayMsMax = 2_500;
/** Pause between rounds of queries. */
const queryIntervalMs = 100;

function depositEvent(txId: string, to: string, kind: DepositEvent['event'], sequence: number): DepositEvent {
  return {
    event: kind,
    sequence,
    txId,
    logIndex: 0,
    chain: 'tron',
    tokenContract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    asset: 'USDT',
    from: 'TSender',
    to,
    amountMinor: '100000000',
    blockNumber: '100',
    blockHash: 'ab'.repeat(32),
    blockTimestampMs: '1790000000000',
  };
}

/** Holds an activity back by up to `localActivityDelayMsMax` before it runs. */
const delayed =
  <A extends unknown[], R>(activity: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    await sleep(Math.random() * localActivityDelayMsMax);
    return activity(...args);
  };

describe('deposit workflows under concurrency', () => {
  it('answer state queries mid-flight, credit each deposit once, and leave histories that replay', async () => {
    const userId = `conc-${uniqueSuffix()}`;
    const address = `TDepositConcurrency${uniqueSuffix()}`.replaceAll('0', 'z').padEnd(34, 'x').slice(0, 34);
    await database.pool.query(sql.type(noRows)`
      insert into deposit_address (user_id, chain_account, derivation_index, address_base58, address_hex)
      values (${userId}, 0, 3, ${address}, ${'41' + 'ef'.repeat(20)})`);

    const { workflowIds, queryErrors, queriesAnswered, results } = await withTestWorker(
      {
        pool: database.pool,
        label: 'deposit-concurrency',
        overrideActivities: (activities) => ({
          queueDepositSeenNotification: delayed((input) => activities.queueDepositSeenNotification(input)),
          recordDepositReceipt: delayed((receipt) => activities.recordDepositReceipt(receipt)),
          creditDeposit: delayed((input) => activities.creditDeposit(input)),
          queueNotification: delayed((notification) => activities.queueNotification(notification)),
        }),
      },
      async ({ client, taskQueue }) => {
        const started = Promise.all(
          Array.from({ length: depositsInFlight }, async () => {
            const txId = (uniqueSuffix() + 'c'.repeat(64)).slice(0, 64);
            await database.pool.query(sql.type(noRows)`
              insert into deposit (tx_id, log_index, chain, token_contract, asset, from_address, to_address,
                amount_minor, block_number, block_hash, block_timestamp_ms, status, event_sequence)
              values (${txId}, 0, 'tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'USDT', 'TSender', ${address},
                100000000, 100, ${'ab'.repeat(32)}, 1790000000000, 'seen', 1)`);
            const handle = await client.workflow.signalWithStart(depositWorkflow, {
              taskQueue,
              workflowId: depositWorkflowId(txId, 0),
              args: [{ txId, logIndex: 0 }],
              signal: depositEventSignalName,
              signalArgs: [depositEvent(txId, address, 'seen', 1)],
              // Short, so that a busy worker's tasks time out and local activities span tasks within seconds.
              workflowTaskTimeout: '2 seconds',
            });
            await sleep(Math.random() * localActivityDelayMsMax);
            await handle.signal(depositEventSignalName, depositEvent(txId, address, 'final', 2));
            return handle;
          }),
        );
        const handles = await started;
        const errors: unknown[] = [];
        let answered = 0;
        let settled = false;
        const asking = (async () => {
          while (!settled) {
            await Promise.all(
              handles.map((handle) =>
                handle.query<string>('depositState').then(
                  () => (answered += 1),
                  (error: unknown) => errors.push(error),
                ),
              ),
            );
            await sleep(queryIntervalMs);
          }
        })();
        const ended = await Promise.all(handles.map((handle) => handle.result()));
        settled = true;
        await asking;
        const finalStates = await Promise.all(handles.map((handle) => handle.query<string>('depositState')));
        return {
          workflowIds: handles.map((handle) => handle.workflowId),
          queryErrors: errors,
          queriesAnswered: answered,
          results: { ended, finalStates },
        };
      },
    );

    expect(queryErrors).toEqual([]);
    expect(queriesAnswered).toBeGreaterThan(depositsInFlight);
    expect(results.finalStates).toEqual(workflowIds.map(() => 'credited'));
    for (const ended of results.ended) expect(ended).toMatchObject({ credit: { status: 'credited' } });
    const credits = await database.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      select count(*)::int4 as n from ledger_transfer where id ~ '^deposit:[^:]+:0$'`);
    expect(credits).toBe(depositsInFlight);

    const histories = workflowIds.map((workflowId) => ({
      workflowId,
      history: JSON.parse(workflowHistoryJson(workflowId).toString('utf8')) as unknown,
    }));
    const workflowBundle = await bundleWorkflowCode({ workflowsPath });
    const replayFailures: string[] = [];
    for await (const replay of Worker.runReplayHistories({ workflowBundle }, histories))
      if (replay.error) replayFailures.push(`${replay.workflowId}: ${String(replay.error)}`);
    expect(replayFailures).toEqual([]);
  }, 180_000);
});
