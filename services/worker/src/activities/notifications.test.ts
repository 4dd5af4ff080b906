// Proves the notification step's user events on the real Redis: each notification kind the stream carries is
// queued once as a job and appended to its user's event stream with amounts as decimal strings of their asset and
// the notification's id as the key; repeating the step (a retried activity) queues no second job and appends an
// event with the same key (the client ignores it); a kind the stream does not carry, or a notification that cannot
// become an event, is still queued, publishes nothing and does not fail the step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Notification } from '@cardgate/contracts';
import { userEventSchema } from '@cardgate/contracts/user-event';
import { createUserEventPublisher, userEventStreamKey } from '@cardgate/user-events';
import { harnessContext, testLogger, testRedisPrefix } from '@cardgate/test-harness';
import { createNotificationActivities } from './notifications.ts';

let redis: Redis;
let queue: Queue;
const keyPrefix = testRedisPrefix('user-events');
const txId = 'c0'.repeat(32);

beforeAll(() => {
  redis = new Redis(harnessContext().redisUrl, { maxRetriesPerRequest: null });
  queue = new Queue('notifications', { connection: redis, prefix: testRedisPrefix('bull') });
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
});

function activities() {
  return createNotificationActivities({
    queue,
    userEvents: createUserEventPublisher({ redis, keyPrefix }),
    logger: testLogger('notifications-test'),
  });
}

async function streamOf(userId: string) {
  const entries = await redis.xrange(userEventStreamKey(keyPrefix, userId), '-', '+');
  return entries.map(([, fields]) => userEventSchema.parse(JSON.parse(fields[1] ?? '')));
}

describe('queueNotification', () => {
  it('publishes the user event of each kind with decimal amounts and the notification id as key', async () => {
    const notifications: Notification[] = [
      {
        id: `deposit-credited:${txId}:2`,
        userId: 'usr_n1',
        kind: 'deposit_credited',
        data: { grossMinor: '25500000', feeMinor: '755000', netMinor: '24745000' },
      },
      {
        id: `deposit-held:${txId}:3`,
        userId: 'usr_n1',
        kind: 'deposit_held',
        data: { amountMinor: '1000000' },
      },
      {
        id: 'card-issued:crd_1',
        userId: 'usr_n1',
        kind: 'card_issued',
        data: { cardId: 'crd_1', lastFour: '4242' },
      },
      {
        id: 'card-loaded:ld_1',
        userId: 'usr_n1',
        kind: 'card_loaded',
        data: { cardId: 'crd_1', usdMinor: '4922' },
      },
      {
        id: 'card-load-failed:ld_2',
        userId: 'usr_n1',
        kind: 'card_load_failed',
        data: { cardId: 'crd_1', reason: 'card closed' },
      },
    ];
    for (const notification of notifications) await activities().queueNotification(notification);
    expect(await streamOf('usr_n1')).toEqual([
      {
        key: `deposit-credited:${txId}:2`,
        kind: 'deposit.credited',
        data: {
          txId,
          logIndex: 2,
          gross: { amount: '25.500000', asset: 'USDT' },
          fee: { amount: '0.755000', asset: 'USDT' },
          net: { amount: '24.745000', asset: 'USDT' },
        },
      },
      {
        key: `deposit-held:${txId}:3`,
        kind: 'deposit.held',
        data: { txId, logIndex: 3, amount: { amount: '1.000000', asset: 'USDT' } },
      },
      { key: 'card-issued:crd_1', kind: 'card.issued', data: { cardId: 'crd_1', lastFour: '4242' } },
      {
        key: 'card-loaded:ld_1',
        kind: 'card.loaded',
        data: { cardId: 'crd_1', amount: { amount: '49.22', asset: 'USD' } },
      },
      {
        key: 'card-load-failed:ld_2',
        kind: 'card.load_failed',
        data: { cardId: 'crd_1', reason: 'card closed' },
      },
    ]);
    expect(await queue.getJobCounts('waiting')).toMatchObject({ waiting: 5 });
  });

  it('a repeated step queues one job and appends an event with the same key', async () => {
    const notification: Notification = {
      id: 'card-issued:crd_2',
      userId: 'usr_n2',
      kind: 'card_issued',
      data: { cardId: 'crd_2', lastFour: '1111' },
    };
    await activities().queueNotification(notification);
    await activities().queueNotification(notification);
    expect(await queue.getJob('card-issued_crd_2')).toBeDefined();
    const events = await streamOf('usr_n2');
    expect(events.map((event) => event.key)).toEqual(['card-issued:crd_2', 'card-issued:crd_2']);
  });

  it('queues but publishes nothing for a kind the stream does not carry or data it cannot use', async () => {
    const unknownKind = {
      id: 'card-declined:evt_1',
      userId: 'usr_n3',
      kind: 'card_declined',
      data: { cardId: 'crd_3' },
    } as unknown as Notification;
    const badId: Notification = {
      id: 'deposit-credited:not-a-deposit',
      userId: 'usr_n3',
      kind: 'deposit_credited',
      data: { grossMinor: '1', feeMinor: '0', netMinor: '1' },
    };
    const badAmount: Notification = {
      id: 'card-loaded:ld_3',
      userId: 'usr_n3',
      kind: 'card_loaded',
      data: { cardId: 'crd_3', usdMinor: '12.5' },
    };
    for (const notification of [unknownKind, badId, badAmount])
      await activities().queueNotification(notification);
    expect(await streamOf('usr_n3')).toEqual([]);
    expect(await queue.getJob('card-loaded_ld_3')).toBeDefined();
  });
});
