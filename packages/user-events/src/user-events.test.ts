// Proves the user event streams on the real Redis: a published event is appended to the user's stream (bounded, with
// an expiry) and reaches that user's open connection and nobody else's; a connection resuming from an id gets exactly
// the events after it, in order, even when events are published while it replays (no gap, no duplicate); an id whose
// successors were trimmed gets a resync; transient events reach open connections without a stream entry; malformed
// events are refused by the publisher; the hub refuses connections over its bounds, sends heartbeats, and with its
// last connection closed holds no subscriber (Redis counts no subscriber on the channel) and no timer; when Redis drops
// the subscriber every connection is ended (they reconnect and replay) and the next one subscribes afresh; a
// connection whose replay falls more than its buffer behind live events is ended and sent nothing after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { harnessContext, testRedisPrefix } from '@cardgate/test-harness';
import type { UserEvent } from '@cardgate/contracts/user-event';
import {
  createUserEventHub,
  createUserEventPublisher,
  userEventChannel,
  userEventStreamEntriesMax,
  userEventStreamKey,
  type UserEventDelivery,
  type UserEventHubOptions,
} from './index.ts';

let redis: Redis;
const keyPrefix = testRedisPrefix('user-events');

beforeAll(() => {
  redis = new Redis(harnessContext().redisUrl, { maxRetriesPerRequest: 2 });
});
afterAll(() => redis.disconnect());

const issued = (cardId: string): UserEvent => ({
  key: `card-issued:${cardId}`,
  kind: 'card.issued',
  data: { cardId, lastFour: '4242' },
});

function hubOf(overrides: Partial<UserEventHubOptions> = {}) {
  return createUserEventHub({
    redis,
    keyPrefix,
    clientsMax: 10,
    clientsPerUserMax: 3,
    heartbeatMs: 60_000,
    ...overrides,
  });
}

/** A connection's side: what it received, and waiting until it has received some number of events. */
function recorder() {
  const received: UserEventDelivery[] = [];
  const ended: string[] = [];
  let heartbeats = 0;
  const waiters: Array<() => void> = [];
  return {
    received,
    ended,
    get heartbeats() {
      return heartbeats;
    },
    client: {
      deliver(delivery: UserEventDelivery) {
        received.push(delivery);
        waiters.splice(0).forEach((wake) => wake());
      },
      heartbeat() {
        heartbeats += 1;
        waiters.splice(0).forEach((wake) => wake());
      },
      end(reason: string) {
        ended.push(reason);
      },
    },
    async until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(received)}`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 50);
        });
      }
    },
    keys: () => received.flatMap((d) => (d.type === 'event' ? [d.event.key] : [d.type])),
  };
}

async function subscribersOnChannel(): Promise<number> {
  const answer = (await redis.call('PUBSUB', 'NUMSUB', userEventChannel(keyPrefix))) as [string, number];
  return Number(answer[1]);
}

describe('publisher', () => {
  it('appends to the user stream with an expiry and answers the entry id', async () => {
    const publisher = createUserEventPublisher({ redis, keyPrefix });
    const id = await publisher.publish('usr_pub1', issued('crd_1'));
    expect(id).toMatch(/^\d+-\d+$/);
    const key = userEventStreamKey(keyPrefix, 'usr_pub1');
    const entries = await redis.xrange(key, '-', '+');
    expect(entries).toHaveLength(1);
    expect(entries[0]?.[0]).toBe(id);
    expect(JSON.parse(entries[0]?.[1][1] ?? '')).toEqual(issued('crd_1'));
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(23 * 3600);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);
  });

  it('keeps the stream near its bound', async () => {
    const publisher = createUserEventPublisher({ redis, keyPrefix });
    const pipeline = redis.pipeline();
    const key = userEventStreamKey(keyPrefix, 'usr_bound');
    for (let index = 0; index < userEventStreamEntriesMax + 500; index += 1)
      pipeline.xadd(key, '*', 'event', JSON.stringify(issued(`crd_${index}`)));
    await pipeline.exec();
    await publisher.publish('usr_bound', issued('crd_last'));
    const length = await redis.xlen(key);
    expect(length).toBeGreaterThanOrEqual(userEventStreamEntriesMax);
    expect(length).toBeLessThan(userEventStreamEntriesMax + 200);
  });

  it('refuses a malformed event and writes nothing', async () => {
    const publisher = createUserEventPublisher({ redis, keyPrefix });
    const bad = {
      key: 'k',
      kind: 'card.loaded',
      data: { cardId: 'crd_1', amount: { amount: 25.5, asset: 'USD' } },
    } as unknown as UserEvent;
    await expect(publisher.publish('usr_bad', bad)).rejects.toThrow();
    expect(await redis.exists(userEventStreamKey(keyPrefix, 'usr_bad'))).toBe(0);
  });
});

describe('hub', () => {
  it('delivers a published event to its user only, and transient events without an id', async () => {
    const hub = hubOf();
    const publisher = createUserEventPublisher({ redis, keyPrefix });
    const ann = recorder();
    const bob = recorder();
    const annConnection = await hub.open('usr_ann', undefined, ann.client);
    const bobConnection = await hub.open('usr_bob', undefined, bob.client);
    const id = await publisher.publish('usr_ann', issued('crd_ann'));
    await publisher.announce('usr_ann', {
      key: 'deposit-confirmations:ab:0:3',
      kind: 'deposit.confirmations',
      data: { txId: 'ab'.repeat(32), logIndex: 0, confirmations: 3, confirmationsNeeded: 19 },
    });
    await publisher.publish('usr_bob', issued('crd_bob'));
    await ann.until(() => ann.received.length === 2);
    await bob.until(() => bob.received.length === 1);
    expect(ann.received[0]).toEqual({ type: 'event', id, event: issued('crd_ann') });
    expect(ann.received[1]).toMatchObject({
      type: 'event',
      id: null,
      event: { kind: 'deposit.confirmations' },
    });
    expect(bob.keys()).toEqual(['card-issued:crd_bob']);
    expect(await redis.xlen(userEventStreamKey(keyPrefix, 'usr_ann'))).toBe(1);
    await annConnection.close();
    await bobConnection.close();
  });

  it('resumes after an id with exactly the missed events while more are published during the replay', async () => {
    const hub = hubOf();
    const publisher = createUserEventPublisher({ redis, keyPrefix });
    const first = await publisher.publish('usr_resume', issued('crd_0'));
    for (let index = 1; index <= 450; index += 1)
      await publisher.publish('usr_resume', issued(`crd_${index}`));
    const client = recorder();
    // Publishing races the replay (three pages of XRANGE): each event must arrive once, in order.
    const racing = (async () => {
      for (let index = 451; index <= 500; index += 1)
        await publisher.publish('usr_resume', issued(`crd_${index}`));
    })();
    const connection = await hub.open('usr_resume', first, client.client);
    await racing;
    await client.until(() => client.received.length >= 500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.keys()).toEqual(Array.from({ length: 500 }, (_, index) => `card-issued:crd_${index + 1}`));
    const ids = client.received.map((d) => (d.type === 'event' ? d.id : null));
    expect(new Set(ids).size).toBe(500);
    await connection.close();
  });

  it('tells a client whose missed events were trimmed to resync', async () => {
    // Trimming what the client has already seen is no gap: only a trimmed successor of its id is.
    const hub = hubOf();
    const publisher = createUserEventPublisher({ redis, keyPrefix });
    const old = await publisher.publish('usr_trim', issued('crd_old'));
    await publisher.publish('usr_trim', issued('crd_missed'));
    await redis.xtrim(userEventStreamKey(keyPrefix, 'usr_trim'), 'MAXLEN', 0);
    await publisher.publish('usr_trim', issued('crd_new'));
    const client = recorder();
    const connection = await hub.open('usr_trim', old, client.client);
    expect(client.keys()).toEqual(['resync', 'card-issued:crd_new']);
    await connection.close();
    const unknown = recorder();
    const again = await hub.open('usr_never', '1-0', unknown.client);
    expect(unknown.keys()).toEqual(['resync']);
    await again.close();
  });

  it('bounds connections per user and per process', async () => {
    const hub = hubOf({ clientsMax: 4, clientsPerUserMax: 2 });
    const open = (userId: string) => hub.open(userId, undefined, recorder().client);
    const connections = [await open('usr_a'), await open('usr_a')];
    await expect(open('usr_a')).rejects.toMatchObject({
      code: 'rate_limited',
      reason: 'too_many_event_streams',
    });
    connections.push(await open('usr_b'), await open('usr_c'));
    await expect(open('usr_d')).rejects.toMatchObject({ code: 'rate_limited', reason: 'event_streams_full' });
    expect(hub.stats()).toEqual({ clients: 4, users: 3, subscribed: true });
    for (const connection of connections) await connection.close();
    expect(hub.stats()).toEqual({ clients: 0, users: 0, subscribed: false });
  });

  it('sends heartbeats and releases the subscriber and timer with the last connection', async () => {
    expect(await subscribersOnChannel()).toBe(0);
    const hub = hubOf({ heartbeatMs: 20 });
    const client = recorder();
    const connection = await hub.open('usr_hb', undefined, client.client);
    expect(await subscribersOnChannel()).toBe(1);
    await client.until(() => client.heartbeats >= 2);
    await connection.close();
    await connection.close();
    expect(hub.stats()).toEqual({ clients: 0, users: 0, subscribed: false });
    expect(await subscribersOnChannel()).toBe(0);
    const beats = client.heartbeats;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.heartbeats).toBe(beats);
  });

  it('ends every connection when closed', async () => {
    const hub = hubOf();
    const client = recorder();
    await hub.open('usr_shutdown', undefined, client.client);
    await hub.close();
    expect(client.ended).toEqual(['hub_closed']);
    expect(hub.stats()).toEqual({ clients: 0, users: 0, subscribed: false });
    expect(await subscribersOnChannel()).toBe(0);
  });

  it('ends every connection when Redis drops the subscriber, and subscribes afresh for the next one', async () => {
    // The hub's Redis client carries a name of its own, which its subscriber inherits: Redis drops exactly that one.
    const connectionName = `hub-lost-${Date.now()}`;
    const named = new Redis(harnessContext().redisUrl, { maxRetriesPerRequest: 2, connectionName });
    try {
      const hub = hubOf({ redis: named });
      const alice = recorder();
      const bob = recorder();
      await hub.open('usr_lost_a', undefined, alice.client);
      await hub.open('usr_lost_b', undefined, bob.client);
      const pubsubClients = (await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
      const subscriberIds = pubsubClients
        .split('\n')
        .filter((line) => line.includes(` name=${connectionName} `))
        .map((line) => /^id=(\d+)/.exec(line)?.[1]);
      expect(subscriberIds).toHaveLength(1);
      await redis.call('CLIENT', 'KILL', 'ID', subscriberIds[0]!);
      await alice.until(() => alice.ended.length > 0);
      await bob.until(() => bob.ended.length > 0);
      expect([alice.ended, bob.ended]).toEqual([['subscriber_lost'], ['subscriber_lost']]);
      expect(hub.stats()).toEqual({ clients: 0, users: 0, subscribed: false });
      const next = recorder();
      const connection = await hub.open('usr_lost_a', undefined, next.client);
      await createUserEventPublisher({ redis, keyPrefix }).publish('usr_lost_a', issued('crd_after'));
      await next.until(() => next.received.length >= 1);
      expect(next.keys()).toEqual(['card-issued:crd_after']);
      await connection.close();
    } finally {
      named.disconnect();
    }
  });

  it('ends a connection whose replay falls more than its buffer behind, and sends it nothing after', async () => {
    // The replay's first read is held back (the real client, its MULTI's answer delayed) while more live events
    // arrive for the user than a connection buffers.
    let replayAsked: () => void = () => undefined;
    let releaseReplay: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (replayAsked = resolve));
    const held = new Promise<void>((resolve) => (releaseReplay = resolve));
    const holding = Object.create(redis, {
      multi: {
        value: () => {
          const multi = redis.multi();
          const exec = multi.exec.bind(multi);
          multi.exec = async () => {
            replayAsked();
            await held;
            return exec();
          };
          return multi;
        },
      },
    }) as Redis;
    const hub = hubOf({ redis: holding });
    const publisher = createUserEventPublisher({ redis, keyPrefix });
    const first = await publisher.publish('usr_overflow', issued('crd_first'));
    const client = recorder();
    const opening = hub.open('usr_overflow', first, client.client);
    await asked;
    const live = redis.pipeline();
    for (let index = 0; index <= userEventStreamEntriesMax; index += 1)
      live.publish(
        userEventChannel(keyPrefix),
        JSON.stringify({
          userId: 'usr_overflow',
          id: null,
          event: JSON.stringify(issued(`crd_live_${index}`)),
        }),
      );
    await live.exec();
    await client.until(() => client.ended.length > 0);
    expect(client.ended).toEqual(['buffer_overflow']);
    releaseReplay();
    await opening;
    expect(client.received).toEqual([]);
    expect(hub.stats()).toEqual({ clients: 0, users: 0, subscribed: false });
  });
});
