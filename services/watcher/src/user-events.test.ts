// Proves the watcher's user events on the real PostgreSQL and Redis: the outbox dispatcher, handing over deposits seen
// on two users' addresses, appends `deposit.seen` (amount as a decimal USDT string) to each owner's stream and to
// nobody else's, only after the hand-over was accepted (a refused hand-over publishes nothing); a follower step that
// moves the head announces `deposit.confirmations` to each owner's open connection (counted from the deposit's block,
// with the count the finality rule needs) without a stream entry, and a step that does not move it announces nothing;
// Redis being away fails neither the hand-over nor the step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createDepositAddressService, createDepositAddressStore } from '@cardgate/deposit-addresses';
import type { DepositEvent } from '@cardgate/contracts';
import { userEventSchema } from '@cardgate/contracts/user-event';
import {
  harnessContext,
  testLogger,
  testRedisPrefix,
  uniqueSuffix,
  useTestDatabase,
} from '@cardgate/test-harness';
import { accountExtendedPublicKey } from '@cardgate/tron';
import {
  createUserEventHub,
  createUserEventPublisher,
  userEventStreamKey,
  type UserEventDelivery,
} from '@cardgate/user-events';
import { createDepositStore } from '@cardgate/deposit-store';
import type { StepResult } from './follower.ts';
import { createOutboxDispatcher } from './outbox-dispatcher.ts';
import { blocks, observation, testToken } from '@cardgate/deposit-store/testing';
import { createDepositUserEvents } from './user-events.ts';

const database = useTestDatabase();
const keyPrefix = testRedisPrefix('user-events');
const mnemonic =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
let redis: Redis;

beforeAll(() => {
  redis = new Redis(harnessContext().redisUrl, { maxRetriesPerRequest: 2 });
});
afterAll(() => redis.disconnect());

function userEventsOn(client: Redis) {
  return createDepositUserEvents({
    publisher: createUserEventPublisher({ redis: client, keyPrefix }),
    findOwner: (address) => createDepositAddressStore(database.pool).findOwner(address),
    logger: testLogger('watcher-user-events'),
  });
}

async function streamOf(userId: string) {
  const entries = await redis.xrange(userEventStreamKey(keyPrefix, userId), '-', '+');
  return entries.map(([, fields]) => userEventSchema.parse(JSON.parse(fields[1] ?? '')));
}

/** Two users with an address each, and a deposit seen (not final) to each: Ann's in block 1, Bob's in block 3. */
async function twoSeenDeposits(account: number) {
  const addresses = createDepositAddressService({
    pool: database.pool,
    xpub: accountExtendedPublicKey(mnemonic, account),
    account,
  });
  const ann = await addresses.assign(`usr_ann${uniqueSuffix()}`);
  const bob = await addresses.assign(`usr_bob${uniqueSuffix()}`);
  const store = createDepositStore(database.pool, testToken());
  const run = blocks(1, 3);
  const toAnn = { ...observation(run[0]!, 25_500_000n), to: ann.base58 };
  const toBob = { ...observation(run[2]!, 7_000_000n), to: bob.base58 };
  await store.applyBlocks(undefined, run, [toAnn, toBob], 0);
  return { ann, bob, store, toAnn, toBob };
}

describe('watcher user events', () => {
  it('publishes deposit.seen to the owner once the hand-over is accepted', async () => {
    const { ann, bob, toAnn, toBob } = await twoSeenDeposits(11);
    const refused = createOutboxDispatcher({
      pool: database.pool,
      handOver: userEventsOn(redis).handOver({
        handOver: () => Promise.reject(new Error('Temporal is away')),
      }),
      batchRowsMax: 100,
      concurrencyMax: 4,
    });
    await expect(refused.dispatchOnce()).rejects.toThrow();
    expect(await streamOf(ann.userId)).toEqual([]);

    const handedOver: DepositEvent[] = [];
    const dispatcher = createOutboxDispatcher({
      pool: database.pool,
      handOver: userEventsOn(redis).handOver({ handOver: async (event) => void handedOver.push(event) }),
      batchRowsMax: 100,
      concurrencyMax: 4,
    });
    await dispatcher.dispatchOnce();
    expect(handedOver.filter((event) => [toAnn.txId, toBob.txId].includes(event.txId))).toHaveLength(2);
    expect(await streamOf(ann.userId)).toEqual([
      {
        key: `deposit-seen:${toAnn.txId}:0:1`,
        kind: 'deposit.seen',
        data: { txId: toAnn.txId, logIndex: 0, amount: { amount: '25.500000', asset: 'USDT' } },
      },
    ]);
    expect((await streamOf(bob.userId)).map((event) => event.data)).toEqual([
      { txId: toBob.txId, logIndex: 0, amount: { amount: '7.000000', asset: 'USDT' } },
    ]);
  });

  it('announces confirmations to open connections after a step that moved the head', async () => {
    const { ann, bob, store, toAnn, toBob } = await twoSeenDeposits(12);
    const hub = createUserEventHub({
      redis,
      keyPrefix,
      clientsMax: 4,
      clientsPerUserMax: 1,
      heartbeatMs: 60_000,
    });
    const received = new Map<string, UserEventDelivery[]>([
      [ann.userId, []],
      [bob.userId, []],
    ]);
    const connections = await Promise.all(
      [ann.userId, bob.userId].map((userId) =>
        hub.open(userId, undefined, {
          deliver: (delivery) => received.get(userId)?.push(delivery),
          heartbeat: () => undefined,
          end: () => undefined,
        }),
      ),
    );
    let head = 5;
    const steps: StepResult[] = [];
    const inner = {
      async step(): Promise<StepResult> {
        const step = {
          headNumber: head,
          solidifiedNumber: 0,
          cursorNumber: 3,
          blocksApplied: 0,
          depositsSeen: 0,
          depositsFinalized: 0,
          depositsOrphaned: 0,
          caughtUp: true,
        };
        steps.push(step);
        return step;
      },
    };
    const follower = userEventsOn(redis).follower(inner, {
      finality: { kind: 'confirmations', blocks: 3 },
      confirmingDeposits: (countMax) => store.confirmingDeposits(countMax),
    });
    await follower.step();
    await follower.step();
    head = 6;
    await follower.step();
    const dataOf = (userId: string) =>
      received
        .get(userId)
        ?.map((delivery) => (delivery.type === 'event' ? [delivery.id, delivery.event.data] : []));
    await expect.poll(() => received.get(bob.userId)?.length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => received.get(ann.userId)?.length, { timeout: 10_000 }).toBe(2);
    expect(dataOf(ann.userId)).toEqual([
      [null, { txId: toAnn.txId, logIndex: 0, confirmations: 5, confirmationsNeeded: 4 }],
      [null, { txId: toAnn.txId, logIndex: 0, confirmations: 6, confirmationsNeeded: 4 }],
    ]);
    expect(dataOf(bob.userId)).toEqual([
      [null, { txId: toBob.txId, logIndex: 0, confirmations: 3, confirmationsNeeded: 4 }],
      [null, { txId: toBob.txId, logIndex: 0, confirmations: 4, confirmationsNeeded: 4 }],
    ]);
    expect(steps).toHaveLength(3);
    expect(await streamOf(ann.userId)).toEqual([]);
    for (const connection of connections) await connection.close();
    await hub.close();
  });

  it('hands over and steps on while Redis is away', async () => {
    const { ann, store } = await twoSeenDeposits(13);
    const away = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const events = userEventsOn(away);
    const handedOver: DepositEvent[] = [];
    const dispatcher = createOutboxDispatcher({
      pool: database.pool,
      handOver: events.handOver({ handOver: async (event) => void handedOver.push(event) }),
      batchRowsMax: 100,
      concurrencyMax: 4,
    });
    await dispatcher.dispatchOnce();
    expect(handedOver.length).toBeGreaterThanOrEqual(2);
    const step = { headNumber: 9, solidifiedNumber: 0, cursorNumber: 3, blocksApplied: 0 };
    const follower = events.follower(
      {
        step: async () => ({
          ...step,
          depositsSeen: 0,
          depositsFinalized: 0,
          depositsOrphaned: 0,
          caughtUp: true,
        }),
      },
      {
        finality: { kind: 'solidified' },
        confirmingDeposits: (countMax) => store.confirmingDeposits(countMax),
      },
    );
    expect(await follower.step()).toMatchObject({ headNumber: 9 });
    expect(await streamOf(ann.userId)).toEqual([]);
    away.disconnect();
  });
});
