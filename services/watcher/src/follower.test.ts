// Proves the watcher's chain bookkeeping on the real PostgreSQL: a deposit to one of our addresses is recorded once
// and becomes final only when its block is final; transfers to other addresses are ignored; reorgs of depth 1 to 18
// before finality orphan what vanished and re-record what moved (never handing an orphan over as final); a repeated
// run over the same blocks changes nothing; and a competing writer makes a step fail without writing anything.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { useTestDatabase, uniqueSuffix } from '@cardgate/test-harness';
import { AddressBook } from './address-book.ts';
import { createDepositStore, CursorMovedError } from '@cardgate/deposit-store';
import { createFollower } from './follower.ts';
import { ScriptedChain } from './testing/scripted-chain.ts';
import type { TokenTransfer } from './chain-source.ts';

const database = useTestDatabase();
const ourAddress = 'TOurDepositAddress000000000000001';
const strangerAddress = 'TSomeoneElse00000000000000000001';

function transfer(to: string, amountMinor: bigint, logIndex = 0): TokenTransfer {
  const txId = (uniqueSuffix() + uniqueSuffix()).padEnd(64, '0').slice(0, 64);
  return { txId, logIndex, from: 'TSender0000000000000000000000001', to, amountMinor };
}

function setUp(solidityLagBlocks = 18, batchBlocksMax = 50) {
  const chainName = `tron-${uniqueSuffix()}`;
  const chain = new ScriptedChain(solidityLagBlocks);
  const store = createDepositStore(database.pool, {
    chain: chainName,
    contract: 'TUsdtContract',
    asset: 'USDT',
  });
  const addressBook = new AddressBook({
    loadAfter: async (afterId) => (afterId < 1n ? [{ id: 1n, address: ourAddress }] : []),
  });
  const follower = createFollower({
    source: chain,
    store,
    addressBook,
    finality: { kind: 'solidified' },
    startBlockNumber: 1,
    batchBlocksMax,
    reorgDepthMax: 64,
    keepBlocksBelowFinal: 32,
  });
  return { chain, store, follower, chainName };
}

const outboxRow = z.object({ event: z.string(), sequence: z.number(), block_number: z.string() });

async function outboxOf(txId: string) {
  return database.pool.any(sql.type(outboxRow)`
    select event, sequence, payload->>'blockNumber' as block_number from deposit_outbox where tx_id = ${txId} order by sequence`);
}

async function runUntilCaughtUp(follower: ReturnType<typeof createFollower>): Promise<void> {
  for (let steps = 0; steps < 100; steps += 1) if ((await follower.step()).caughtUp) return;
  throw new Error('did not catch up in 100 steps');
}

describe('follower', () => {
  it('records a deposit to our address once, and hands it over as final only at the solidified block', async () => {
    const { chain, follower } = setUp();
    const ours = transfer(ourAddress, 25_000_000n);
    const theirs = transfer(strangerAddress, 7n);
    chain.produce([ours, theirs]);
    await runUntilCaughtUp(follower);
    expect(await outboxOf(ours.txId)).toEqual([{ event: 'seen', sequence: 1, block_number: '1' }]);
    expect(await outboxOf(theirs.txId)).toEqual([]);

    chain.produceMany(17); // block 1 is now 17 below the head: not yet solidified (lag 18)
    await runUntilCaughtUp(follower);
    expect((await outboxOf(ours.txId)).map((row) => row.event)).toEqual(['seen']);

    chain.produce();
    await runUntilCaughtUp(follower);
    await runUntilCaughtUp(follower); // a second pass over a final deposit changes nothing
    expect((await outboxOf(ours.txId)).map((row) => row.event)).toEqual(['seen', 'final']);
  });

  for (const depth of [1, 2, 5, 18]) {
    it(`repairs a reorg of depth ${depth}: a vanished deposit is orphaned, never final`, async () => {
      const { chain, follower } = setUp(depth + 1);
      chain.produceMany(3);
      const vanishing = transfer(ourAddress, 1_000_000n);
      chain.produce([vanishing]);
      chain.produceMany(depth - 1);
      await runUntilCaughtUp(follower);
      expect((await outboxOf(vanishing.txId)).map((row) => row.event)).toEqual(['seen']);

      chain.reorg(depth);
      await runUntilCaughtUp(follower);
      chain.produceMany(depth + 3);
      await runUntilCaughtUp(follower);
      expect((await outboxOf(vanishing.txId)).map((row) => row.event)).toEqual(['seen', 'orphaned']);
    });

    it(`repairs a reorg of depth ${depth}: a deposit moved to another block is handed over final exactly once`, async () => {
      const { chain, follower } = setUp(depth + 1);
      chain.produceMany(3);
      const moving = transfer(ourAddress, 2_000_000n);
      chain.produce([moving]);
      chain.produceMany(depth - 1);
      await runUntilCaughtUp(follower);

      chain.reorg(depth, (offset) => (offset === depth ? [moving] : []));
      chain.produceMany(depth + 3);
      await runUntilCaughtUp(follower);
      const events = await outboxOf(moving.txId);
      // Its new block is already final when the watcher reaches it: straight to 'final', no second 'seen'.
      expect(events.map((row) => row.event)).toEqual(['seen', 'orphaned', 'final']);
      expect(events.map((row) => row.sequence)).toEqual([1, 2, 3]);
      expect(events[2]!.block_number).toBe(String(chain.headBlock.number - depth - 3));
    });
  }

  it('never makes final a deposit read ahead from a branch that was replaced before the final line passed it', async () => {
    // Blocks 51..100 are read ahead while block 70 is far above the final line (lag 100). The branch holding the
    // deposit is then replaced and the chain grows until the final line is past block 70. The batch read ahead
    // still links to the cursor, but it was read under the old line: its deposit may only be 'seen'.
    const { chain, follower } = setUp(100, 50);
    chain.produceMany(69);
    const vanishing = transfer(ourAddress, 3_000_000n);
    chain.produce([vanishing]);
    chain.produceMany(50);
    const first = await follower.step();
    expect([first.cursorNumber, first.depositsSeen]).toEqual([50, 0]);

    chain.reorg(60);
    chain.produceMany(100);
    await runUntilCaughtUp(follower);
    expect((await outboxOf(vanishing.txId)).map((row) => row.event)).toEqual(['seen', 'orphaned']);
  });

  it('never makes final a deposit whose block was replaced at the same height while the watcher was caught up', async () => {
    const { chain, follower } = setUp(3);
    chain.produceMany(5);
    const vanishing = transfer(ourAddress, 4_000_000n);
    chain.produce([vanishing]);
    await runUntilCaughtUp(follower);
    expect((await outboxOf(vanishing.txId)).map((row) => row.event)).toEqual(['seen']);

    // The head block is replaced by one of the same height, and the node's solidified head reaches it at once: a
    // step that reads no block must still notice before anything there becomes final.
    chain.reorg(1);
    chain.chain.pop();
    chain.solidityLagBlocks = 0;
    await runUntilCaughtUp(follower);
    expect((await outboxOf(vanishing.txId)).map((row) => row.event)).toEqual(['seen', 'orphaned']);
  });

  it('writes nothing when another writer moves the cursor while a step is reading the node', async () => {
    const { chain, follower, store, chainName } = setUp();
    chain.produce();
    await runUntilCaughtUp(follower);
    const before = await store.loadCursor();
    const deposit = transfer(ourAddress, 5n);
    chain.produce([deposit]);
    const readBlocks = chain.blocks.bind(chain);
    chain.blocks = async (fromInclusive, toExclusive) => {
      // A second watcher commits its own progress while this one waits on the node.
      await database.pool.query(sql.type(z.object({}))`
        update chain_cursor set block_number = block_number + 1 where chain = ${chainName}`);
      return readBlocks(fromInclusive, toExclusive);
    };
    await expect(follower.step()).rejects.toThrow(CursorMovedError);
    expect(await outboxOf(deposit.txId)).toEqual([]);
    expect((await store.loadCursor())?.number).toBe((before?.number ?? 0) + 1);
  });
});
