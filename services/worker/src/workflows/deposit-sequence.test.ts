// Proves the deposit workflow's sequence check on Temporal's time-skipping server with the real activities and
// database: a deposit's whole life (seen, orphaned, seen again, final), then a repeated final and stale seen and
// orphaned events (lower sequences), all waiting in the workflow's history before the worker first runs it, so they
// reach it in one activation after the final one. The deposit is still credited exactly once (one deposit transfer
// and one fee), the workflow ends credited, and it counts each repeat and stale event as ignored. Without the check
// the last stale event would replace the final one and the deposit would wait for ever.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { createDepositAddressService } from '@cardgate/deposit-addresses';
import { createLedger } from '@cardgate/ledger';
import { accountExtendedPublicKey } from '@cardgate/tron';
import { uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { depositEventSignalName, depositWorkflowId, type DepositEvent } from '@cardgate/contracts';
import { chart } from '@cardgate/domain';
import { useTimeSkipping } from '../time-skipping.testing.ts';
import { depositWorkflow } from './deposit.workflow.ts';

const database = useTestDatabase();
const timeSkipping = useTimeSkipping('deposit-sequence');
const noRows = z.object({});
const count = z.object({ count: z.bigint() });
const xpub = accountExtendedPublicKey(
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  5,
);
/** How long the workflow may take to end once the worker runs; far more than a credit needs. */
const resultWithinMs = 20_000;

describe('deposit workflow sequence check', () => {
  it('credits once and ends credited when a repeated final and stale seen and orphaned events follow it', async () => {
    const userId = `seq-${uniqueSuffix()}`;
    const address = await createDepositAddressService({ pool: database.pool, xpub, account: 5 }).assign(
      userId,
    );
    const txId = (uniqueSuffix() + 'e'.repeat(64)).slice(0, 64);
    const event = (kind: DepositEvent['event'], sequence: number): DepositEvent => ({
      txId,
      logIndex: 0,
      chain: 'tron',
      tokenContract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      asset: 'USDT',
      from: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
      to: address.base58,
      amountMinor: '100000000',
      blockNumber: '100',
      blockHash: 'ab'.repeat(32),
      blockTimestampMs: '1790000000000',
      event: kind,
      sequence,
    });
    // The watcher's record of the deposit (the workflow's receipt refers to it).
    await database.pool.query(sql.type(noRows)`
      insert into deposit (tx_id, log_index, chain, token_contract, asset, from_address, to_address, amount_minor,
        block_number, block_hash, block_timestamp_ms, status, event_sequence, final_at)
      values (${txId}, 0, 'tron', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'USDT', 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
        ${address.base58}, 100000000, 100, ${'ab'.repeat(32)}, 1790000000000, 'final', 4, now())`);

    const ledger = createLedger({ pool: database.pool });
    const { worker, taskQueue } = await timeSkipping.createWorker({
      pool: database.pool,
      ledger,
      label: 'deposit-sequence',
    });
    const client = timeSkipping.environment.client;
    // Every event is in the history before the worker polls: they arrive in one activation, in this order.
    const handle = await client.workflow.signalWithStart(depositWorkflow, {
      taskQueue,
      workflowId: depositWorkflowId(txId, 0),
      args: [{ txId, logIndex: 0 }],
      signal: depositEventSignalName,
      signalArgs: [event('seen', 1)],
    });
    const afterStart: DepositEvent[] = [
      event('orphaned', 2),
      event('seen', 3),
      event('final', 4),
      event('final', 4), // a repeat
      event('orphaned', 2), // stale
      event('seen', 3), // stale
      event('seen', 1), // stale
    ];
    for (const next of afterStart) await handle.signal(depositEventSignalName, next);

    const { result, state } = await worker.runUntil(async () => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the deposit workflow did not end within ${resultWithinMs} ms`)),
          resultWithinMs,
        );
      });
      try {
        const ended = await Promise.race([handle.result(), timedOut]);
        return { result: ended, state: await handle.query<string>('depositState') };
      } finally {
        clearTimeout(timer);
      }
    });

    expect(result).toMatchObject({
      txId,
      amountMinor: '100000000',
      eventsIgnored: 4,
      credit: {
        userId,
        status: 'credited',
        grossMinor: '100000000',
        feeMinor: '1500000',
        netMinor: '98500000',
      },
    });
    expect(state).toBe('credited');
    const wallet = await ledger.accountByCode(chart.wallet(userId).code);
    expect(wallet).toMatchObject({
      creditsPosted: 100_000_000n,
      debitsPosted: 1_500_000n,
      creditsPending: 0n,
    });
    const transfers = await database.pool.oneFirst(sql.type(count)`
      select count(*) as count from ledger_transfer where id like ${`deposit:${txId}%`}`);
    expect(transfers).toBe(2n); // the deposit and its fee, once
    expect((await ledger.verify()).ok).toBe(true);
  }, 120_000);
});
