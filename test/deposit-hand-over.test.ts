// Proves the hand-over from the outbox to Temporal on the real servers: a deposit's events reach one workflow per
// deposit, which records the deposit once it is final; delivering the same rows again (a crash between the delivery
// and marking them dispatched) changes nothing; an orphaned deposit never reaches the receipt.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { depositReviewSignalName, depositWorkflowId } from '@cardgate/contracts';
import { createDepositAddressStore } from '@cardgate/deposit-addresses';
import { recordHistoryIfAsked, uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { withTestWorker } from '../services/worker/src/testing.ts';
import { AddressBook } from '../services/watcher/src/address-book.ts';
import { createDepositStore } from '@cardgate/deposit-store';
import { createFollower } from '../services/watcher/src/follower.ts';
import { createOutboxDispatcher } from '../services/watcher/src/outbox-dispatcher.ts';
import { createTemporalHandOver } from '../services/watcher/src/temporal-hand-over.ts';
import { ScriptedChain } from '../services/watcher/src/testing/scripted-chain.ts';

const database = useTestDatabase();
const ourAddress = 'TQurDepositAddress2222222222222222';
const receiptCount = z.object({ count: z.bigint() });

function txId(): string {
  return (uniqueSuffix() + uniqueSuffix() + uniqueSuffix()).padEnd(64, 'a').slice(0, 64);
}

describe('outbox hand-over to Temporal', () => {
  it('delivers each deposit to its own workflow exactly once, however often the rows are delivered', async () => {
    const kept = { txId: txId(), logIndex: 0, from: 'TSender', to: ourAddress, amountMinor: 12_500_000n };
    const second = { ...kept, logIndex: 1, amountMinor: 1n };
    const orphan = { txId: txId(), logIndex: 0, from: 'TSender', to: ourAddress, amountMinor: 3_000_000n };
    await createDepositAddressStore(database.pool).importAddresses([
      {
        userId: 'hand-over-user',
        chainAccount: 0,
        derivationIndex: 0,
        base58: ourAddress,
        hex41: '41' + 'ab'.repeat(20),
      },
    ]);
    await withTestWorker({ pool: database.pool, label: 'deposit' }, async ({ client, taskQueue }) => {
      const chain = new ScriptedChain(3);
      const follower = createFollower({
        source: chain,
        store: createDepositStore(database.pool, {
          chain: `tron-${uniqueSuffix()}`,
          contract: 'TUsdt',
          asset: 'USDT',
        }),
        addressBook: new AddressBook({
          loadAfter: async (after) => (after < 1n ? [{ id: 1n, address: ourAddress }] : []),
        }),
        finality: { kind: 'solidified' },
        startBlockNumber: 1,
        batchBlocksMax: 100,
        reorgDepthMax: 16,
        keepBlocksBelowFinal: 16,
      });
      const dispatcher = createOutboxDispatcher({
        pool: database.pool,
        handOver: createTemporalHandOver(client, taskQueue),
        batchRowsMax: 100,
        concurrencyMax: 8,
      });
      try {
        chain.produce([kept, second]);
        chain.produce([orphan]);
        await follower.step();
        await dispatcher.dispatchOnce();
        chain.reorg(1); // the block with `orphan` vanishes
        chain.produceMany(5);
        await follower.step();
        await follower.step();
        const first = await dispatcher.dispatchOnce();
        expect(first.dispatched).toBeGreaterThan(0);

        // Simulate a crash after delivery but before the mark: every row is delivered again.
        await database.pool.query(sql.type(z.object({}))`update deposit_outbox set dispatched_at = null`);
        await dispatcher.dispatchOnce();

        const keptResult = await client.workflow.getHandle(depositWorkflowId(kept.txId, 0)).result();
        expect(keptResult).toMatchObject({ amountMinor: '12500000', credit: { status: 'credited' } });
        // One micro-USDT is below the review minimum: held until an operator decides, then credited.
        const secondHandle = client.workflow.getHandle(depositWorkflowId(kept.txId, 1));
        await expect
          .poll(() => secondHandle.query<string>('depositState'), { timeout: 10_000 })
          .toBe('held_for_review');
        await secondHandle.signal(depositReviewSignalName, { approve: true });
        expect(await secondHandle.result()).toMatchObject({
          amountMinor: '1',
          credit: { status: 'credited' },
        });
        await recordHistoryIfAsked(depositWorkflowId(kept.txId, 0), 'deposit-credited-with-repeats');
        const orphanDescription = await client.workflow
          .getHandle(depositWorkflowId(orphan.txId, 0))
          .describe();
        expect(orphanDescription.status.name).toBe('RUNNING');
      } finally {
        await client.workflow
          .getHandle(depositWorkflowId(orphan.txId, 0))
          .terminate('test over')
          .catch(() => undefined);
      }
    });
    const receipts = await database.pool.oneFirst(sql.type(receiptCount)`
      select count(*) as count from deposit_receipt where tx_id in (${kept.txId}, ${orphan.txId})`);
    expect(receipts).toBe(2n);
    const orphanReceipts = await database.pool.oneFirst(sql.type(receiptCount)`
      select count(*) as count from deposit_receipt where tx_id = ${orphan.txId}`);
    expect(orphanReceipts).toBe(0n);
  });
});
