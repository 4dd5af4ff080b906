// Proves the worker's user events end to end on real parts (PostgreSQL, Redis, Temporal, the card sandbox over HTTP
// and its webhooks): issuing a card, loading it and paying with it append card.issued, card.loaded and
// card.transaction to the owner's event stream, in that order, with amounts as decimal strings of their asset; the
// API's hub, subscribed while the flows run, delivers the same events live to the owner's open connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { harnessContext, testRedisPrefix, uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { cardLoadWorkflowId, cardLoadWorkflowType, type CardLoadWorkflow } from '@cardgate/contracts';
import { userEventSchema, type UserEvent } from '@cardgate/contracts/user-event';
import {
  createUserEventHub,
  createUserEventPublisher,
  userEventStreamKey,
  type UserEventDelivery,
} from '@cardgate/user-events';
import { withCardStack } from './card-stack.ts';

const database = useTestDatabase({ maxPoolSize: 20 });
const keyPrefix = testRedisPrefix('user-events');
let redis: Redis;

beforeAll(() => {
  redis = new Redis(harnessContext().redisUrl, { maxRetriesPerRequest: null });
});
afterAll(() => redis.disconnect());

async function streamOf(userId: string): Promise<UserEvent[]> {
  const entries = await redis.xrange(userEventStreamKey(keyPrefix, userId), '-', '+');
  return entries.map(([, fields]) => userEventSchema.parse(JSON.parse(fields[1] ?? '')));
}

describe('user events from the card flows', () => {
  it('streams card issued, loaded and a payment to the owner', async () => {
    const userEvents = createUserEventPublisher({ redis, keyPrefix });
    const hub = createUserEventHub({
      redis,
      keyPrefix,
      clientsMax: 2,
      clientsPerUserMax: 1,
      heartbeatMs: 60_000,
    });
    const userId = `usr_${uniqueSuffix()}`;
    const live: UserEventDelivery[] = [];
    const connection = await hub.open(userId, undefined, {
      deliver: (delivery) => live.push(delivery),
      heartbeat: () => undefined,
      end: () => undefined,
    });
    try {
      await withCardStack({ pool: database.pool, label: 'user-events', userEvents }, async (stack) => {
        await stack.fundWallet(userId, '100');
        const card = await stack.issueCard(userId);
        const loadId = `ld_${uniqueSuffix()}`;
        const load = await stack.client.workflow.execute<CardLoadWorkflow>(cardLoadWorkflowType, {
          taskQueue: stack.taskQueue,
          workflowId: cardLoadWorkflowId(loadId),
          args: [{ loadId, userId, cardId: card.cardId, amountUsdtMinor: '50000000' }],
        });
        expect(load).toMatchObject({ status: 'loaded', usdMinor: '4922' });
        const response = await fetch(`${stack.sandbox.url}/v1/simulate/authorize`, {
          method: 'POST',
          headers: { authorization: 'test-sandbox-key', 'content-type': 'application/json' },
          body: JSON.stringify({ card_token: card.providerToken, amount: '1000', descriptor: 'SHOP' }),
        });
        expect(response.status).toBe(200);
        const { token } = (await response.json()) as { token: string };
        await stack.webhooksSettled();
        await expect
          .poll(async () => (await streamOf(userId)).map((event) => event.kind), {
            timeout: 15_000,
            interval: 100,
          })
          .toEqual(['card.issued', 'card.loaded', 'card.transaction']);
        const [issued, loaded, paid] = await streamOf(userId);
        expect(issued).toEqual({
          key: `card-issued:${card.cardId}`,
          kind: 'card.issued',
          data: { cardId: card.cardId, lastFour: card.lastFour },
        });
        expect(loaded).toEqual({
          key: `card-loaded:${loadId}`,
          kind: 'card.loaded',
          data: { cardId: card.cardId, amount: { amount: '49.22', asset: 'USD' } },
        });
        expect(paid).toMatchObject({
          kind: 'card.transaction',
          data: {
            cardId: card.cardId,
            transactionId: token,
            pending: { amount: '10.00', asset: 'USD' },
            debited: { amount: '0.00', asset: 'USD' },
            expired: false,
          },
        });
        await expect
          .poll(
            () => live.map((delivery) => (delivery.type === 'event' ? delivery.event.key : delivery.type)),
            { timeout: 10_000 },
          )
          .toEqual([issued?.key, loaded?.key, paid?.key]);
      });
    } finally {
      await connection.close();
      await hub.close();
    }
  });
});
