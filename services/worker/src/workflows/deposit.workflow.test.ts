// Proves the deposit workflow's ledger effects on the real Temporal server and database: a final deposit is credited
// once however often its final event repeats (fee to revenue); one below the review minimum is held as a pending
// credit and, when an operator rejects it, released without reaching the wallet; an orphaned one never touches the
// ledger. Its owner hears of a deposit first seen before final when it is seen (also of one orphaned later), and a
// deposit whose first event is final gets no 'seen' notification.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import {
  depositEventSignalName,
  depositReviewSignalName,
  depositWorkflowId,
  type DepositEvent,
} from '@cardgate/contracts';
import { withTestWorker } from '../testing.ts';
import { chart } from '@cardgate/domain';
import { depositWorkflow } from './deposit.workflow.ts';

const database = useTestDatabase();
const noRows = z.object({});

function event(
  txId: string,
  to: string,
  amountMinor: string,
  kind: DepositEvent['event'],
  sequence: number,
): DepositEvent {
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
    amountMinor,
    blockNumber: '100',
    blockHash: 'ab'.repeat(32),
    blockTimestampMs: '1790000000000',
  };
}

describe('deposit workflow ledger effects', () => {
  it('credits once, holds small deposits for review (rejected: never spendable), leaves orphans alone', async () => {
    const userId = `dep-${uniqueSuffix()}`;
    const address = `TDepositReviewAddress${uniqueSuffix()}`
      .replaceAll('0', 'z')
      .padEnd(34, 'x')
      .slice(0, 34);
    await database.pool.query(sql.type(noRows)`
      insert into deposit_address (user_id, chain_account, derivation_index, address_base58, address_hex)
      values (${userId}, 0, 1, ${address}, ${'41' + 'cd'.repeat(20)})`);
    await withTestWorker(
      { pool: database.pool, label: 'deposit-effects' },
      async ({ client, taskQueue, ledger, notifications }) => {
        const start = async (txId: string, first: DepositEvent) => {
          // The watcher's record of the deposit (the workflow's receipt refers to it).
          await database.pool.query(sql.type(noRows)`
            insert into deposit (tx_id, log_index, chain, token_contract, asset, from_address, to_address,
              amount_minor, block_number, block_hash, block_timestamp_ms, status, event_sequence)
            values (${txId}, 0, 'tron', ${first.tokenContract}, 'USDT', 'TSender', ${address}, ${first.amountMinor},
              100, ${first.blockHash}, 1790000000000, 'seen', 1)`);
          return client.workflow.signalWithStart(depositWorkflow, {
            taskQueue,
            workflowId: depositWorkflowId(txId, 0),
            args: [{ txId, logIndex: 0 }],
            signal: depositEventSignalName,
            signalArgs: [first],
          });
        };
        const big = (uniqueSuffix() + 'b'.repeat(64)).slice(0, 64);
        const handle = await start(big, event(big, address, '100000000', 'seen', 1));
        // Final only once the seen notification is out (see the orphan below: events reaching the first task
        // together are seen as the latest alone).
        await expect
          .poll(() => notifications.getJob(`deposit-seen_${big}_0`), { timeout: 10_000 })
          .toBeDefined();
        await handle.signal(depositEventSignalName, event(big, address, '100000000', 'final', 2));
        await handle.signal(depositEventSignalName, event(big, address, '100000000', 'final', 2)); // a repeat
        expect(await handle.result()).toMatchObject({
          credit: { status: 'credited', feeMinor: '1500000', netMinor: '98500000' },
        });

        const small = (uniqueSuffix() + 'c'.repeat(64)).slice(0, 64);
        const held = await start(small, event(small, address, '1000000', 'final', 1));
        await expect
          .poll(() => held.query<string>('depositState'), { timeout: 10_000 })
          .toBe('held_for_review');
        const wallet = await ledger.accountByCode(chart.wallet(userId).code);
        expect(wallet!.creditsPending).toBe(1_000_000n); // visible as pending, not spendable
        await held.signal(depositReviewSignalName, { approve: false });
        expect(await held.result()).toMatchObject({ credit: { netMinor: '0' } });

        const orphan = (uniqueSuffix() + 'd'.repeat(64)).slice(0, 64);
        const orphaned = await start(orphan, event(orphan, address, '7000000', 'seen', 1));
        // Its owner hears of it when it is seen (a local activity of the workflow's first task). The orphaning waits
        // for that: had both events reached the first task together, the workflow would see only the later one, and
        // nobody is told of a deposit that is already orphaned when first looked at.
        await expect
          .poll(() => notifications.getJob(`deposit-seen_${orphan}_0`), { timeout: 10_000 })
          .toBeDefined();
        await orphaned.signal(depositEventSignalName, event(orphan, address, '7000000', 'orphaned', 2));
        await expect
          .poll(() => orphaned.query<string>('depositState'), { timeout: 10_000 })
          .toBe('waiting_for_final');
        await orphaned.terminate('test over');

        const after = await ledger.accountByCode(chart.wallet(userId).code);
        expect(after).toMatchObject({
          creditsPosted: 100_000_000n,
          debitsPosted: 1_500_000n,
          creditsPending: 0n,
        });
        const transfers = await database.pool.oneFirst(sql.type(z.object({ count: z.bigint() }))`
        select count(*) as count from ledger_transfer where id like ${`deposit:${orphan}%`}`);
        expect(transfers).toBe(0n);
        expect((await ledger.verify()).ok).toBe(true);

        const seenJob = async (txId: string) =>
          (await notifications.getJob(`deposit-seen_${txId}_0`))?.data as unknown;
        expect(await seenJob(big)).toEqual({
          id: `deposit-seen:${big}:0`,
          userId,
          kind: 'deposit_seen',
          data: { amountMinor: '100000000' },
        });
        expect(await seenJob(orphan)).toMatchObject({
          kind: 'deposit_seen',
          data: { amountMinor: '7000000' },
        });
        expect(await seenJob(small)).toBeUndefined();
      },
    );
  });
});
