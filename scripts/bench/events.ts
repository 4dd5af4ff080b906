// `npm run bench:events`: the user event path on this machine's Redis, each figure beside its floor measured in the
// same run and the ratio:
// - live delivery: publisher.publish (XADD + EXPIRE + PUBLISH in one Lua step) until the hub hands the event to the
//   user's connection, with 1,000 other users connected, against the floor of a bare PUBLISH until a bare subscriber
//   gets it (one at a time, so the figures are latencies);
// - resume: a connection opening with Last-Event-ID 1,000 events back until it has all of them, against the floor of
//   one bare XRANGE of the same 1,000 entries.
// Keys live under a prefix of the run's own and are deleted at the end. REDIS_URL picks the server (default local).
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { UserEvent } from '@cardgate/contracts/user-event';
import { createUserEventHub, createUserEventPublisher, userEventStreamKey } from '@cardgate/user-events';
import { formatRow, percentileMs } from './stats.ts';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const liveMessages = Math.round(2_000 * scale);
const resumeRounds = Math.round(50 * scale);
const otherUsers = 1_000;
const resumeEntries = 1_000;
const keyPrefix = `bench-events-${randomBytes(4).toString('hex')}`;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const event = (n: number): UserEvent => ({
  key: `card-loaded:bench_${n}`,
  kind: 'card.loaded',
  data: { cardId: 'crd_bench', amount: { amount: '49.22', asset: 'USD' } },
});

async function measure(count: number, once: (n: number) => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let n = 0; n < count; n += 1) {
    const started = performance.now();
    await once(n);
    samples.push(performance.now() - started);
  }
  return samples;
}

/** A promise per expected arrival, resolved by whoever receives it. */
function arrivals() {
  let wake: (() => void) | undefined;
  return {
    next: () => new Promise<void>((resolve) => (wake = resolve)),
    arrived: () => wake?.(),
  };
}

const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
try {
  // Floor: bare PUBLISH to a bare subscriber.
  const bare = redis.duplicate();
  const bareArrivals = arrivals();
  await bare.subscribe(`${keyPrefix}:bare`);
  bare.on('message', () => bareArrivals.arrived());
  const floorLive = await measure(liveMessages, async () => {
    const arrived = bareArrivals.next();
    await redis.publish(`${keyPrefix}:bare`, JSON.stringify({ userId: 'usr_bench', id: '1-0', event: '{}' }));
    await arrived;
  });
  bare.disconnect();

  // Live delivery through the publisher and the hub, with other users connected.
  const hub = createUserEventHub({
    redis,
    keyPrefix,
    clientsMax: otherUsers + 10,
    clientsPerUserMax: 1,
    heartbeatMs: 60_000,
  });
  const publisher = createUserEventPublisher({ redis, keyPrefix });
  const quiet = { deliver: () => undefined, heartbeat: () => undefined, end: () => undefined };
  const others = await Promise.all(
    Array.from({ length: otherUsers }, (_, n) => hub.open(`usr_other${n}`, undefined, quiet)),
  );
  const liveArrivals = arrivals();
  const connection = await hub.open('usr_bench', undefined, {
    ...quiet,
    deliver: () => liveArrivals.arrived(),
  });
  const live = await measure(liveMessages, async (n) => {
    const arrived = liveArrivals.next();
    await publisher.publish('usr_bench', event(n));
    await arrived;
  });
  await connection.close();

  // Resume: 1,000 events back.
  const resumeKey = userEventStreamKey(keyPrefix, 'usr_resume');
  const firstId = await publisher.publish('usr_resume', event(0));
  const pipeline = redis.pipeline();
  for (let n = 1; n <= resumeEntries; n += 1)
    pipeline.xadd(resumeKey, '*', 'event', JSON.stringify(event(n)));
  await pipeline.exec();
  const floorResume = await measure(resumeRounds, async () => {
    const entries = await redis.xrange(resumeKey, `(${firstId}`, '+', 'COUNT', resumeEntries);
    if (entries.length !== resumeEntries) throw new Error(`read ${entries.length} entries`);
  });
  const resume = await measure(resumeRounds, async () => {
    let received = 0;
    const resumed = await hub.open('usr_resume', firstId, { ...quiet, deliver: () => void (received += 1) });
    if (received !== resumeEntries) throw new Error(`replayed ${received} events`);
    await resumed.close();
  });
  for (const other of others) await other.close();
  await hub.close();

  const widths = [44, 10, 10, 12, 12];
  console.log(formatRow(['figure', 'p50 ms', 'p99 ms', 'floor p50', 'ratio p50'], widths));
  const row = (name: string, samples: number[], floor: number[]) => {
    const p50 = percentileMs(samples, 0.5);
    const floorP50 = percentileMs(floor, 0.5);
    console.log(
      formatRow(
        [
          name,
          p50.toFixed(3),
          percentileMs(samples, 0.99).toFixed(3),
          floorP50.toFixed(3),
          (p50 / floorP50).toFixed(2),
        ],
        widths,
      ),
    );
  };
  row(`live: publish to delivery (${otherUsers} others on)`, live, floorLive);
  console.log(formatRow(['  floor: bare PUBLISH to subscriber', ...['', '', '', '']], widths));
  row(`resume: ${resumeEntries} events after Last-Event-ID`, resume, floorResume);
  console.log(formatRow([`  floor: one XRANGE of ${resumeEntries}`, ...['', '', '', '']], widths));
} finally {
  const keys = await redis.keys(`${keyPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
