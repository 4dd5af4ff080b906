// Proves no card load stays held for ever, on the real stack (PostgreSQL, Temporal, the card sandbox over HTTP):
// 1. The API's load request writes the load and places its USDT hold, answers, then fails to start the workflow (its
//    Temporal client names a namespace that does not exist: the start really fails, as when the process dies there). The load
//    is `holding` with its USDT pending and no workflow. The card load sweep starts the workflow by the load's id; the
//    card is loaded once, the hold posted once, the wallet charged once; a second sweep finds nothing.
// 2. A load whose workflow is terminated while the provider call is in flight is resumed by the sweep (Temporal
//    allows a new run after a terminated one); two sweeps at once start one run between them; the provider's
//    idempotency key makes the repeated call load nothing twice: one load at the provider, the hold posted once.
// 3. A load whose workflow is running (here: waiting on a slow provider) is left alone by the sweep.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { createCardStore } from '@cardgate/card-store';
import {
  cardLoadSweepWorkflowType,
  cardLoadWorkflowId,
  type CardLoadResult,
  type CardLoadSweepResult,
  type CardLoadSweepWorkflow,
} from '@cardgate/contracts';
import { sql } from '@cardgate/db';
import { chart, quoteCardLoad } from '@cardgate/domain';
import { randomId } from '@cardgate/ids';
import { createLoadLimits } from '@cardgate/load-limits';
import { parseMoney, USDT } from '@cardgate/money';
import { harnessContext, testLogger, uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { createAfterResponse } from '../services/api/src/lib/after-response.ts';
import { createCardLoading } from '../services/api/src/routes/cards/card-loading.ts';
import { testMoneySettings } from '../services/worker/src/testing.ts';
import { withCardStack, type CardStack } from './card-stack.ts';

const database = useTestDatabase({ maxPoolSize: 20 });
const logger = testLogger('card-load-sweep-test');

async function sweep(stack: CardStack): Promise<CardLoadSweepResult> {
  return stack.client.workflow.execute<CardLoadSweepWorkflow>(cardLoadSweepWorkflowType, {
    taskQueue: stack.taskQueue,
    workflowId: `card-load-sweep-test-${uniqueSuffix()}`,
    // Every unfinished load counts, however young: the test does not wait the production bound out.
    args: [{ unfinishedForMs: 0 }],
  });
}

/**
 * The API's card loading (POST /v1/cards/{id}/loads) over the test's stack, with the Temporal client given; the
 * workflow start it makes after its answer is tried twice, and `startsDone` waits for it.
 */
function apiLoading(stack: CardStack, client: Client) {
  const store = createCardStore(database.pool);
  const afterResponse = createAfterResponse(logger, { inFlightMax: 10, attemptsMax: 2, retryDelayMs: 10 });
  const loading = createCardLoading({
    store,
    ledger: stack.ledger,
    limits: createLoadLimits({ store, ledger: stack.ledger, limits: testMoneySettings.limits }),
    temporal: { client, taskQueue: stack.taskQueue },
    now: () => new Date(),
    afterResponse,
  });
  return {
    load: (...args: Parameters<typeof loading.load>) => loading.load(...args),
    startsDone: () => afterResponse.drain(10_000),
  };
}

/** A quote for `usdt` on the card, stored as POST /v1/quotes stores it. */
async function quoteFor(userId: string, cardId: string, usdt: string): Promise<string> {
  const quoteId = randomId('qt');
  const now = new Date();
  await createCardStore(database.pool).quotes.create({
    quoteId,
    userId,
    cardId,
    quote: quoteCardLoad(parseMoney(usdt, USDT), testMoneySettings.fx, now),
    expiresAt: new Date(now.getTime() + 60_000),
  });
  return quoteId;
}

const loadStatus = (loadId: string) =>
  database.pool.oneFirst(sql.type(z.object({ status: z.string() }))`
    select status from card_load where id = ${loadId}`);

async function wallet(stack: CardStack, userId: string) {
  const account = await stack.ledger.accountByCode(chart.wallet(userId).code);
  return {
    pending: account?.debitsPending ?? 0n,
    posted: (account?.creditsPosted ?? 0n) - (account?.debitsPosted ?? 0n),
  };
}

describe('the card load sweep', () => {
  it('resumes a load whose request died between its hold and its workflow, and a load whose workflow was terminated: each loaded and posted once', async () => {
    const { temporalAddress } = harnessContext();
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      await withCardStack({ pool: database.pool, label: 'load-sweep' }, async (stack) => {
        const userId = `sweep-${uniqueSuffix()}`;
        await stack.fundWallet(userId, '100');
        const card = await stack.issueCard(userId); // 2 USDT fee: 98 left
        const before = await wallet(stack, userId);
        const loadsAtProvider = () => stack.sandbox.sandbox.summary.loads;

        // 1. The request places the hold, then its workflow start fails for real.
        const dead = apiLoading(stack, new Client({ connection, namespace: `absent-${uniqueSuffix()}` }));
        const quoteId = await quoteFor(userId, card.cardId, '20');
        const request = { userId, cardId: card.cardId, quoteId, idempotencyKey: `key-${uniqueSuffix()}` };
        // The request is answered (the load recorded, its USDT held); its workflow start, after the answer, fails.
        expect((await dead.load(request, logger)).status).toBe('holding');
        expect(await dead.startsDone()).toBe(true);
        const [{ id: loadId } = { id: '' }] = await database.pool.any(sql.type(z.object({ id: z.string() }))`
          select id from card_load where user_id = ${userId}`);
        expect(await loadStatus(loadId)).toBe('holding');
        expect(await wallet(stack, userId)).toEqual({ ...before, pending: 20_000_000n });
        await expect(stack.client.workflow.getHandle(cardLoadWorkflowId(loadId)).describe()).rejects.toThrow(
          WorkflowNotFoundError,
        );

        expect(await sweep(stack)).toEqual({ found: 1, started: 1, running: 0, completedUnfinished: 0 });
        const resumed = stack.client.workflow.getHandle(cardLoadWorkflowId(loadId));
        expect(await resumed.result()).toMatchObject({ status: 'loaded' } satisfies Partial<CardLoadResult>);
        expect(await loadStatus(loadId)).toBe('loaded');
        expect(loadsAtProvider()).toBe(1);
        expect(await wallet(stack, userId)).toEqual({ pending: 0n, posted: before.posted - 20_000_000n });
        expect(await sweep(stack)).toEqual({ found: 0, started: 0, running: 0, completedUnfinished: 0 });

        // 2 and 3. A load through a working API, its provider call slow; the sweep leaves the running workflow alone.
        const live = apiLoading(stack, stack.client);
        stack.sandbox.sandbox.faults.set({ latencyMs: 3_000 });
        const second = await live.load(
          {
            ...request,
            quoteId: await quoteFor(userId, card.cardId, '30'),
            idempotencyKey: `key-${uniqueSuffix()}`,
          },
          logger,
        );
        await expect.poll(() => loadStatus(second.loadId), { timeout: 15_000, interval: 50 }).toBe('loading');
        expect(await sweep(stack)).toEqual({ found: 1, started: 0, running: 1, completedUnfinished: 0 });
        // Terminated mid-call: the provider may still complete the load it was asked for.
        await stack.client.workflow
          .getHandle(cardLoadWorkflowId(second.loadId))
          .terminate('test: terminated');
        stack.sandbox.sandbox.faults.set({ latencyMs: 0 });
        const sweeps = await Promise.all([sweep(stack), sweep(stack)]);
        expect(sweeps.map((result) => result.started).sort()).toEqual([0, 1]);
        const rerun = stack.client.workflow.getHandle(cardLoadWorkflowId(second.loadId));
        expect(await rerun.result()).toMatchObject({ status: 'loaded' });
        expect(await loadStatus(second.loadId)).toBe('loaded');
        expect(loadsAtProvider()).toBe(2);
        expect(await wallet(stack, userId)).toEqual({ pending: 0n, posted: before.posted - 50_000_000n });
        await stack.webhooksSettled();
        expect(await stack.ledgerCard(card.cardId, userId)).toEqual(
          await stack.sandboxCard(card.providerToken),
        );
        expect((await stack.ledger.verify()).ok).toBe(true);
      });
    } finally {
      await connection.close();
    }
  }, 120_000);
});
