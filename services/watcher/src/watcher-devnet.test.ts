// Proves the watcher against the TRON devnet over HTTP and the real PostgreSQL: a USDT deposit to a user's address is
// seen and becomes final at the solidified block; several transfers in one transaction are several deposits; failed
// transfers, look-alike tokens and other addresses are ignored; an address created a moment before its deposit is
// not missed; reorgs drop or move deposits correctly; node 5xx/429 and a stalled node are survived by failover; and
// `rescan FROM TO` records a missed deposit once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { accountExtendedPublicKey, createTronNodeClient, parseTronAddress } from '@cardgate/tron';
import { createDepositAddressService, createDepositAddressStore } from '@cardgate/deposit-addresses';
import { createDevnetApp, mainnetUsdtContract, startDevnet, type RunningDevnet } from '@cardgate/tron-devnet';
import { serveApp, type RunningServer } from '@cardgate/health';
import { useTestDatabase, uniqueSuffix } from '@cardgate/test-harness';
import { AddressBook } from './address-book.ts';
import { createDepositAddressSource } from './address-book-store.ts';
import { createDepositStore, RescanMismatchError } from '@cardgate/deposit-store';
import { rescan } from './rescan.ts';
import { createFailoverSource } from './failover-source.ts';
import { createFollower } from './follower.ts';
import { createTronChainSource } from './tron-chain-source.ts';
import type { ChainSource } from './chain-source.ts';

const database = useTestDatabase();
const xpub = accountExtendedPublicKey(
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  7,
);
let devnet: RunningDevnet;
let mirror: RunningServer;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLagBlocks: 18 });
  // A second node endpoint serving the same chain, with faults of its own.
  mirror = await serveApp(createDevnetApp(devnet.chain, {}), 0);
});
afterAll(async () => {
  await mirror?.close();
  await devnet?.close();
});

function sourceFor(url: string, name: string): ChainSource {
  return createTronChainSource({
    name,
    client: createTronNodeClient({ baseUrl: url, timeoutMs: 2_000 }),
    tokenContract: mainnetUsdtContract,
    infoConcurrencyMax: 8,
  });
}

function setUp(source: ChainSource) {
  const chainName = `tron-${uniqueSuffix()}`;
  const store = createDepositStore(database.pool, {
    chain: chainName,
    contract: mainnetUsdtContract,
    asset: 'USDT',
  });
  const follower = createFollower({
    source,
    store,
    addressBook: new AddressBook(createDepositAddressSource(database.pool)),
    finality: { kind: 'solidified' },
    startBlockNumber: devnet.chain.headNumber + 1,
    batchBlocksMax: 200,
    reorgDepthMax: 64,
    keepBlocksBelowFinal: 32,
  });
  return { follower, chainName };
}

async function catchUp(follower: ReturnType<typeof createFollower>): Promise<void> {
  for (let steps = 0; steps < 200; steps += 1) if ((await follower.step()).caughtUp) return;
  throw new Error('did not catch up');
}

const eventRow = z.object({
  tx_id: z.string(),
  log_index: z.number(),
  event: z.string(),
  amount: z.string(),
  to: z.string(),
});

async function events(chainName: string) {
  return database.pool.any(sql.type(eventRow)`
    select o.tx_id, o.log_index, o.event, o.payload->>'amountMinor' as amount, o.payload->>'to' as to
    from deposit_outbox o join deposit d using (tx_id, log_index) where d.chain = ${chainName} order by o.id`);
}

async function newAddress(): Promise<string> {
  const service = createDepositAddressService({ pool: database.pool, xpub, account: 7 });
  return (await service.assign(`user-${uniqueSuffix()}`)).base58;
}

describe('watcher on the devnet', () => {
  it('sees deposits, ignores failed, fake and foreign transfers, and finalizes at the solidified block', async () => {
    const { follower, chainName } = setUp(sourceFor(devnet.url, 'devnet'));
    await catchUp(follower);
    const alice = await newAddress();
    const bob = await newAddress();
    const single = devnet.chain.submitTransfer([{ to: alice, amountMinor: 25_000_000n }]);
    const double = devnet.chain.submitTransfer([
      { to: alice, amountMinor: 1_000_000n },
      { to: bob, amountMinor: 2_000_000n },
    ]);
    devnet.chain.submitTransfer([{ to: alice, amountMinor: 9n }], { failure: 'OUT_OF_ENERGY' });
    devnet.chain.submitTransfer([{ to: alice, amountMinor: 8n }], { contract: 'fake' });
    devnet.chain.submitTransfer([{ to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', amountMinor: 7n }]);
    devnet.chain.produce(1);
    await catchUp(follower);
    const seen = await events(chainName);
    expect(seen.map((row) => [row.tx_id, row.log_index, row.event, row.amount])).toEqual([
      [single, 0, 'seen', '25000000'],
      [double, 0, 'seen', '1000000'],
      [double, 1, 'seen', '2000000'],
    ]);
    devnet.chain.produce(17);
    await catchUp(follower);
    expect((await events(chainName)).filter((row) => row.event === 'final')).toHaveLength(0);
    devnet.chain.produce(1);
    await catchUp(follower);
    expect((await events(chainName)).filter((row) => row.event === 'final')).toHaveLength(3);
  });

  it('does not miss a deposit to an address created a moment before it', async () => {
    const { follower, chainName } = setUp(sourceFor(devnet.url, 'devnet'));
    await catchUp(follower);
    const fresh = await newAddress();
    devnet.chain.submitTransfer([{ to: fresh, amountMinor: 5_000_000n }]);
    devnet.chain.produce(1);
    await follower.step();
    expect((await events(chainName)).map((row) => row.to)).toEqual([fresh]);
  });

  for (const [depth, mode] of [
    [1, 'drop'],
    [6, 'move'],
    [18, 'drop'],
    [18, 'move'],
  ] as const) {
    it(`handles a reorg of depth ${depth} that ${mode}s the deposit`, async () => {
      const { follower, chainName } = setUp(sourceFor(devnet.url, 'devnet'));
      await catchUp(follower);
      const carol = await newAddress();
      const txId = devnet.chain.submitTransfer([{ to: carol, amountMinor: 3_000_000n }]);
      devnet.chain.produce(depth);
      await catchUp(follower);
      devnet.chain.reorg(depth, mode);
      devnet.chain.produce(20);
      await catchUp(follower);
      const seen = (await events(chainName)).filter((row) => row.tx_id === txId).map((row) => row.event);
      // A moved deposit whose new block is already final when the watcher reaches it goes straight to 'final'.
      expect(seen).toEqual(mode === 'drop' ? ['seen', 'orphaned'] : ['seen', 'orphaned', 'final']);
    });
  }

  it('recovers from node 5xx and 429 by failing over, without a gap', async () => {
    const failover = createFailoverSource({
      sources: [sourceFor(devnet.url, 'primary'), sourceFor(mirror.url, 'mirror')],
      behindBlocksMax: 5,
      headCheckIntervalMs: 60_000,
      coolDownMsMin: 50,
      coolDownMsMax: 500,
    });
    const { follower, chainName } = setUp(failover);
    await catchUp(follower);
    const dave = await newAddress();
    const before = devnet.chain.submitTransfer([{ to: dave, amountMinor: 1n }]);
    devnet.chain.produce(1);
    devnet.faults.failNext = { status: 503, count: 3 };
    await catchUp(follower);
    expect(failover.currentName()).toBe('mirror');
    const after = devnet.chain.submitTransfer([{ to: dave, amountMinor: 2n }]);
    devnet.chain.produce(1);
    devnet.faults.failNext = { status: 429, count: 5 };
    await catchUp(follower);
    expect((await events(chainName)).map((row) => row.tx_id)).toEqual([before, after]);
    devnet.faults.failNext = undefined;
  });

  it('moves away from a node that stopped advancing', async () => {
    // The first endpoint answers as a node stuck at the current head; the second follows the chain.
    const stuckHead = await sourceFor(devnet.url, 'stalled').head();
    const stalled: ChainSource = {
      ...sourceFor(devnet.url, 'stalled'),
      name: 'stalled',
      head: async () => stuckHead,
    };
    const switches: string[] = [];
    const failover = createFailoverSource({
      sources: [stalled, sourceFor(mirror.url, 'live')],
      behindBlocksMax: 10,
      headCheckIntervalMs: 0,
      coolDownMsMin: 50,
      coolDownMsMax: 500,
      onSwitch: (from, to, reason) => switches.push(`${from}->${to}: ${reason}`),
    });
    devnet.chain.produce(30);
    expect((await failover.head()).number).toBe(devnet.chain.headNumber);
    expect(switches).toEqual(['stalled->live: behind by 30 blocks']);
  });

  it('rescan records a deposit the follower missed, once, and refuses ranges it must not touch', async () => {
    const { follower, chainName } = setUp(sourceFor(devnet.url, 'devnet'));
    await catchUp(follower);
    const late = parseTronAddress(`41${'5e'.repeat(19)}${uniqueSuffix().slice(0, 2)}`);
    const txId = devnet.chain.submitTransfer([{ to: late.base58, amountMinor: 4_000_000n }]);
    const [block] = devnet.chain.produce(1);
    devnet.chain.produce(20);
    await catchUp(follower);
    expect((await events(chainName)).filter((row) => row.tx_id === txId)).toEqual([]);

    // The address joins the book after its deposit's block was passed (as if added late, or missed by a node).
    await createDepositAddressStore(database.pool).importAddresses([
      {
        userId: `late-${uniqueSuffix()}`,
        chainAccount: 99,
        derivationIndex: Math.floor(Math.random() * 1_000_000),
        base58: late.base58,
        hex41: late.hex41,
      },
    ]);
    const store = createDepositStore(database.pool, {
      chain: chainName,
      contract: mainnetUsdtContract,
      asset: 'USDT',
    });
    const options = {
      source: sourceFor(devnet.url, 'devnet'),
      store,
      addressBook: new AddressBook(createDepositAddressSource(database.pool)),
      finality: { kind: 'solidified' } as const,
      fromInclusive: block!.number - 2,
      toInclusive: block!.number + 2,
      batchBlocksMax: 2,
    };
    expect(await rescan(options)).toEqual({ blocksRead: 5, depositsRecorded: 1 });
    expect((await events(chainName)).filter((row) => row.tx_id === txId).map((row) => row.event)).toEqual([
      'final',
    ]);
    expect((await rescan(options)).depositsRecorded).toBe(0);

    const cursor = (await store.loadCursor())!;
    await expect(rescan({ ...options, toInclusive: cursor.number + 5 })).rejects.toThrow(RangeError);
    await database.pool.query(sql.type(z.object({}))`
      update chain_block set block_hash = ${'e'.repeat(64)} where chain = ${chainName} and block_number = ${cursor.number}`);
    await expect(
      rescan({ ...options, fromInclusive: cursor.number - 1, toInclusive: cursor.number }),
    ).rejects.toThrow(RescanMismatchError);
  });
});
