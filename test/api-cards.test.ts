// Proves the user API's card routes end to end with the real worker (PostgreSQL, Redis, Temporal, the card sandbox
// over HTTP, the API's webhook route): a card issued through POST /v1/cards opens with its last four digits; a load
// through POST /v1/quotes and POST /v1/cards/{id}/loads puts exactly the quoted USD received on the sandbox card and
// books exactly the quoted spread as revenue, the ledger's card account equal to the sandbox's, even though the
// worker's own FX settings differ from those the API quoted with (the stored quote is what counts); a freeze through the
// API pauses the card at the provider, so a simulated authorization is declined CARD_PAUSED, and an unfreeze resumes
// it, so the next is approved; the card's transactions list shows both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import {
  cardIssueWorkflowId,
  cardLoadWorkflowId,
  cardStateWorkflowId,
  type CardIssueResult,
  type CardLoadResult,
  type CardStateResult,
} from '@cardgate/contracts';
import { chart } from '@cardgate/domain';
import { derivedId } from '@cardgate/ids';
import { parseMoney, USD } from '@cardgate/money';
import {
  harnessContext,
  testLogger,
  testRedisPrefix,
  uniqueSuffix,
  useTestDatabase,
} from '@cardgate/test-harness';
import { createApp, type ApiApp } from '../services/api/src/app.ts';
import { createAfterResponse, type AfterResponse } from '../services/api/src/lib/after-response.ts';
import {
  bodyOf,
  testBotToken,
  testProductSettings,
  testRateLimits,
  tmaHeader,
} from '../services/api/src/testing.ts';
import { testMoneySettings } from '../services/worker/src/testing.ts';
import { withCardStack, type CardStack } from './card-stack.ts';

const database = useTestDatabase({ maxPoolSize: 20 });
let redis: Redis;

beforeAll(() => {
  redis = new Redis(harnessContext().redisUrl, { maxRetriesPerRequest: 2 });
});
afterAll(() => {
  redis?.disconnect();
});

/**
 * The user API on the stack's Temporal client and task queue, so the stack's worker runs what the API starts. The
 * load's workflow starts after the 202 (lib/after-response.ts): a test drains `afterResponse` before it looks for it.
 */
function userApi(stack: CardStack, afterResponse: AfterResponse): ApiApp {
  return createApp({
    logger: testLogger('api'),
    healthChecks: {},
    v1: {
      pool: database.pool,
      redis,
      redisKeyPrefix: testRedisPrefix('api'),
      temporal: { client: stack.client, taskQueue: stack.taskQueue },
      telegram: { botToken: testBotToken, initDataMaxAgeSeconds: 3600 },
      settings: testProductSettings,
      http: {
        miniAppOrigin: 'https://mini.cardgate.test',
        bodyBytesMax: 16 * 1024,
        requestTimeoutMs: 10_000,
      },
      rateLimits: testRateLimits,
      afterResponse,
    },
  });
}

async function simulateAuthorization(stack: CardStack, cardToken: string, amount: string) {
  const response = await fetch(`${stack.sandbox.url}/v1/simulate/authorize`, {
    method: 'POST',
    headers: { authorization: 'test-sandbox-key', 'content-type': 'application/json' },
    body: JSON.stringify({ card_token: cardToken, amount, descriptor: 'COFFEE', mcc: '5812' }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; result: string };
}

describe('cards through the user API, on the real worker', () => {
  it('issues, loads exactly as quoted, freezes and unfreezes at the provider', async () => {
    // The worker prices with another rate and spread than the API quoted with: the load must still book the quote.
    const workerMoney = { ...testMoneySettings, fx: { usdtUsdRate: '0.9990', spreadBasisPoints: 300n } };
    await withCardStack({ pool: database.pool, label: 'api-cards', money: workerMoney }, async (stack) => {
      const afterResponse = createAfterResponse(testLogger('api-after-response'));
      const app = userApi(stack, afterResponse);
      const authorization = tmaHeader({ id: 9001 });
      const post = (path: string, body: unknown, key?: string) =>
        app.request(path, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/json',
            ...(key ? { 'idempotency-key': key } : {}),
          },
          body: JSON.stringify(body),
        });
      const userId = (await bodyOf(await app.request('/v1/me', { headers: { authorization } }))).user
        .id as string;
      await stack.fundWallet(userId, '100');

      // Issue.
      const issued = await post('/v1/cards', {}, `issue-${uniqueSuffix()}`);
      expect(issued.status).toBe(202);
      const cardId = (await bodyOf(issued)).id as string;
      const issue = (await stack.client.workflow
        .getHandle(cardIssueWorkflowId(cardId))
        .result()) as CardIssueResult;
      if (issue.status !== 'issued') throw new Error(`the card was not issued: ${JSON.stringify(issue)}`);
      const opened = await bodyOf(await app.request(`/v1/cards/${cardId}`, { headers: { authorization } }));
      expect(opened).toMatchObject({ id: cardId, state: 'open', lastFour: issue.lastFour });
      expect(await stack.walletAvailable(userId)).toBe(98_000_000n); // the 2 USDT fee

      // Load through a quote: 50 USDT → 49.97 gross, 0.75 spread, 49.22 received.
      const quote = await bodyOf(await post('/v1/quotes', { cardId, amount: '50' }));
      expect(quote).toMatchObject({
        gross: { amount: '49.97', asset: 'USD' },
        spread: { amount: '0.75', asset: 'USD' },
        received: { amount: '49.22', asset: 'USD' },
      });
      const loaded = await post(`/v1/cards/${cardId}/loads`, { quoteId: quote.id }, `load-${uniqueSuffix()}`);
      expect(loaded.status).toBe(202);
      const loadId = (await bodyOf(loaded)).id as string;
      expect(await afterResponse.drain(10_000)).toBe(true); // the workflow's start, after the answer
      const result = (await stack.client.workflow
        .getHandle(cardLoadWorkflowId(loadId))
        .result()) as CardLoadResult;
      expect(result).toMatchObject({ status: 'loaded', usdMinor: '4922' });
      const received = parseMoney(quote.received.amount, USD).minor;
      expect((await stack.sandboxCard(issue.providerToken)).settled).toBe(received);
      expect(await stack.ledgerCard(cardId, userId)).toEqual({
        settled: received,
        pending: 0n,
        available: received,
      });
      const spread = await stack.ledger.accountByCode(chart.fxSpread.code);
      expect((spread?.creditsPosted ?? 0n) - (spread?.debitsPosted ?? 0n)).toBe(
        parseMoney(quote.spread.amount, USD).minor,
      );
      expect(await stack.walletAvailable(userId)).toBe(48_000_000n);
      const afterLoad = await bodyOf(
        await app.request(`/v1/cards/${cardId}`, { headers: { authorization } }),
      );
      expect(afterLoad.balance).toEqual({
        posted: quote.received,
        pending: { amount: '0.00', asset: 'USD' },
        available: quote.received,
      });

      // Freeze: the provider declines; unfreeze: it approves.
      async function changeState(action: 'freeze' | 'unfreeze') {
        const key = `${action}-${uniqueSuffix()}`;
        const response = await post(`/v1/cards/${cardId}/${action}`, {}, key);
        expect(response.status).toBe(202);
        const workflowId = cardStateWorkflowId(cardId, derivedId('req', `user:${userId}`, key));
        return (await stack.client.workflow.getHandle(workflowId).result()) as CardStateResult;
      }
      expect(await changeState('freeze')).toMatchObject({ status: 'done', state: 'PAUSED' });
      expect(
        await bodyOf(await app.request(`/v1/cards/${cardId}`, { headers: { authorization } })),
      ).toMatchObject({
        state: 'frozen',
        stateChange: null,
      });
      expect((await simulateAuthorization(stack, issue.providerToken, '500')).result).toBe('CARD_PAUSED');
      expect(await changeState('unfreeze')).toMatchObject({ status: 'done', state: 'OPEN' });
      expect(
        (await bodyOf(await app.request(`/v1/cards/${cardId}`, { headers: { authorization } }))).state,
      ).toBe('open');
      expect((await simulateAuthorization(stack, issue.providerToken, '500')).result).toBe('APPROVED');

      await stack.webhooksSettled();
      const listed = await bodyOf(
        await app.request(`/v1/cards/${cardId}/transactions`, { headers: { authorization } }),
      );
      expect(
        (listed.items as Array<{ category: string; result: string }>).map((item) => [
          item.category,
          item.result,
        ]),
      ).toEqual([
        ['authorization', 'APPROVED'],
        ['decline', 'CARD_PAUSED'],
      ]);
      await expect
        .poll(() => stack.ledgerCard(cardId, userId), { timeout: 15_000 })
        .toEqual({ settled: received, pending: 500n, available: received - 500n });
    });
  });
});
