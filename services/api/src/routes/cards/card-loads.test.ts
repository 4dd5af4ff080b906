// Proves POST /v1/cards/{id}/loads (no worker runs here; the started workflow is read back from Temporal): a load with
// the user's unexpired quote stores the load with exactly the quote's figures, places the wallet's USDT pending under
// the load's deterministic transfer id, starts `card-load-<loadId>` with the load's input and answers 202; a replay
// of the key answers the same (Idempotent-Replayed), the key with another body is 422, another key with the used
// quote is 409; an expired quote is 409, another user's quote 404, another card's quote 422; a wallet short of the
// amount is 422 insufficient_funds with the load failed and nothing held; two concurrent loads that each fit a limit
// but not together, made through two API processes and held until both wait on the user's database lock: one passes, the other is 422 naming the limit
// and what is left (without the lock both pass); /v1/me shows what is left; a load waiting past the lock's bound is
// a retryable 503 that the same key then completes; a request that died after binding its quote is continued (the
// USDT held, the workflow started) by its key's retry (202) and by a request with another key (409 quote_used); the
// answer does not wait for Temporal: starts refused twice are tried again after the 202 and the workflow starts.
import { describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { cardLoadLockName, cardLoadLockWaitMs, createCardStore } from '@cardgate/card-store';
import { cardLoadWorkflowId } from '@cardgate/contracts';
import { sql } from '@cardgate/db';
import { chart, cardLoadPendingTransferId } from '@cardgate/domain';
import { parseMoney, USD } from '@cardgate/money';
import { testLogger, uniqueSuffix } from '@cardgate/test-harness';
import { z } from 'zod';
import { createApp } from '../../app.ts';
import type { MoneyBody } from '../../lib/schemas.ts';
import { createAfterResponse } from '../../lib/after-response.ts';
import { bodyOf, useTestApi } from '../../testing.ts';
import { ledgerOf } from './card-ledger.ts';
import { loadIdOfQuote } from './card-loading.ts';
import { fundWallet, issuedCard, jsonRequest, signIn } from './cards.testing.ts';

let clockMs = Date.now();
const api = useTestApi({
  now: () => new Date(clockMs),
  settings: {
    limits: {
      perLoad: parseMoney('50', USD),
      perDay: parseMoney('80', USD),
      perMonth: parseMoney('100', USD),
      cardBalanceMax: parseMoney('120', USD),
    },
  },
});

interface QuoteBody {
  readonly id: string;
  readonly gross: MoneyBody;
  readonly spread: MoneyBody;
  readonly fee: MoneyBody;
  readonly received: MoneyBody;
}

async function quote(authorization: string, cardId: string, amount: string): Promise<QuoteBody> {
  const response = await api.app.request('/v1/quotes', jsonRequest(authorization, { cardId, amount }));
  expect(response.status).toBe(201);
  return (await bodyOf(response)) as QuoteBody;
}

const load = (authorization: string, cardId: string, quoteId: string, key = `load-${uniqueSuffix()}`) =>
  api.app.request(`/v1/cards/${cardId}/loads`, jsonRequest(authorization, { quoteId }, { key }));

async function wallet(userId: string) {
  const account = await ledgerOf(api.database.pool).accountByCode(chart.wallet(userId).code);
  return {
    pending: account?.debitsPending ?? 0n,
    posted: (account?.creditsPosted ?? 0n) - (account?.debitsPosted ?? 0n),
  };
}

async function loadCount(userId: string): Promise<number> {
  return api.database.pool.oneFirst(
    sql.type(
      z.object({ n: z.number() }),
    )`select count(*)::int4 as n from card_load where user_id = ${userId}`,
  );
}

/** Holds the user's loading lock from a transaction of the test's own until released. */
function holdLoadLock(userId: string) {
  let release: () => void = () => undefined;
  let held: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const heldPromise = new Promise<void>((resolve) => (held = resolve));
  const transaction = api.database.pool.transaction(async (connection) => {
    await connection.query(
      sql.type(z.object({}))`select pg_advisory_xact_lock(hashtextextended(${cardLoadLockName(userId)}, 0))`,
    );
    held();
    await released;
  });
  return {
    held: heldPromise,
    async release() {
      release();
      await transaction;
    },
  };
}

/** Waits until `count` connections of this database wait on an advisory lock, or `timeoutMs` passed. */
async function waitForLockWaiters(count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const waiting = await api.database.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      select count(*)::int4 as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'`);
    if (waiting >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The workflow starts after the answer: wait for the work the API left running. */
async function startsDone(): Promise<void> {
  expect(await api.dependencies.afterResponse?.drain(10_000)).toBe(true);
}

async function startedInput(workflowId: string): Promise<unknown> {
  await startsDone();
  const history = await api.dependencies.temporal.client.workflow.getHandle(workflowId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload?.data) throw new Error('the workflow has no input');
  return JSON.parse(Buffer.from(payload.data).toString('utf8'));
}

describe('POST /v1/cards/{id}/loads', () => {
  it('books the quoted figures, holds the USDT, starts the load workflow, and answers repeats as it should', async () => {
    const { userId, authorization } = await signIn(api.app, 3001);
    const { cardId } = await issuedCard(api.database.pool, userId);
    await fundWallet(api.database.pool, userId, '100');
    const quoted = await quote(authorization, cardId, '40');
    const key = `load-${uniqueSuffix()}`;
    const response = await load(authorization, cardId, quoted.id, key);
    expect(response.status).toBe(202);
    const made = await bodyOf(response);
    const loadId = loadIdOfQuote(quoted.id);
    expect(made).toEqual({
      id: loadId,
      cardId,
      status: 'pending',
      amount: { amount: '40.000000', asset: 'USDT' },
      rate: '0.9995',
      gross: quoted.gross,
      spread: quoted.spread,
      fee: quoted.fee,
      received: quoted.received,
    });
    expect(quoted.received).toEqual({ amount: '39.38', asset: 'USD' });
    const stored = await createCardStore(api.database.pool).loads.byId(loadId);
    const storedQuote = await createCardStore(api.database.pool).quotes.ofUser(userId, quoted.id);
    expect(stored.quote).toEqual(storedQuote?.quote);
    expect(storedQuote?.loadId).toBe(loadId);
    expect(await wallet(userId)).toEqual({ pending: 40_000_000n, posted: 100_000_000n });
    const pending = await ledgerOf(api.database.pool).transferById(cardLoadPendingTransferId(loadId));
    expect(pending?.amountMinor).toBe(40_000_000n);
    expect(await startedInput(cardLoadWorkflowId(loadId))).toEqual({
      loadId,
      userId,
      cardId,
      amountUsdtMinor: '40000000',
    });

    const replay = await load(authorization, cardId, quoted.id, key);
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await bodyOf(replay)).toEqual(made);
    const otherBody = await api.app.request(
      `/v1/cards/${cardId}/loads`,
      jsonRequest(authorization, { quoteId: 'qt_aaaaaaaaaaaaaaaa' }, { key }),
    );
    expect(otherBody.status).toBe(422);
    expect((await bodyOf(otherBody)).reason).toBe('idempotency_key_reused');
    const used = await load(authorization, cardId, quoted.id);
    expect(used.status).toBe(409);
    expect(await bodyOf(used)).toMatchObject({ reason: 'quote_used', details: { loadId } });
    expect(await wallet(userId)).toEqual({ pending: 40_000_000n, posted: 100_000_000n });
    expect(await loadCount(userId)).toBe(1);

    const me = await bodyOf(await api.app.request('/v1/me', { headers: { authorization } }));
    expect(me.limits.remaining).toEqual({
      perLoad: { amount: '50.00', asset: 'USD' },
      perDay: { amount: '40.62', asset: 'USD' },
      perMonth: { amount: '60.62', asset: 'USD' },
    });
  });

  it("refuses an expired quote (409), another user's quote (404), another card's quote (422), a bad body and no key", async () => {
    const { userId, authorization } = await signIn(api.app, 3002);
    const other = await signIn(api.app, 3003);
    const { cardId } = await issuedCard(api.database.pool, userId);
    const secondCard = await issuedCard(api.database.pool, userId);
    const othersCard = await issuedCard(api.database.pool, other.userId);
    await fundWallet(api.database.pool, userId, '100');
    const othersQuote = await quote(other.authorization, othersCard.cardId, '5');
    const secondCardsQuote = await quote(authorization, secondCard.cardId, '5');
    const expiring = await quote(authorization, cardId, '5');
    clockMs += 60_001;
    try {
      const expired = await load(authorization, cardId, expiring.id);
      expect(expired.status).toBe(409);
      expect((await bodyOf(expired)).reason).toBe('quote_expired');
    } finally {
      clockMs -= 60_001;
    }
    const foreign = await load(authorization, cardId, othersQuote.id);
    expect(foreign.status).toBe(404);
    expect((await bodyOf(foreign)).reason).toBe('quote_not_found');
    const misplaced = await load(authorization, cardId, secondCardsQuote.id);
    expect(misplaced.status).toBe(422);
    expect((await bodyOf(misplaced)).reason).toBe('quote_for_other_card');
    const numeric = await api.app.request(
      `/v1/cards/${cardId}/loads`,
      jsonRequest(authorization, { quoteId: 5 }, { key: `n-${uniqueSuffix()}` }),
    );
    expect(numeric.status).toBe(422);
    const keyless = await api.app.request(
      `/v1/cards/${cardId}/loads`,
      jsonRequest(authorization, { quoteId: expiring.id }),
    );
    expect(keyless.status).toBe(400);
    expect(await loadCount(userId)).toBe(0);
    expect(await wallet(userId)).toEqual({ pending: 0n, posted: 100_000_000n });
  });

  it('answers a wallet short of the amount with 422 insufficient_funds, fails the load and holds nothing', async () => {
    const { userId, authorization } = await signIn(api.app, 3004);
    const { cardId } = await issuedCard(api.database.pool, userId);
    await fundWallet(api.database.pool, userId, '10');
    const quoted = await quote(authorization, cardId, '20');
    const response = await load(authorization, cardId, quoted.id);
    expect(response.status).toBe(422);
    expect((await bodyOf(response)).reason).toBe('insufficient_funds');
    const loadId = loadIdOfQuote(quoted.id);
    expect((await createCardStore(api.database.pool).loads.byId(loadId)).status).toBe('failed');
    expect(await wallet(userId)).toEqual({ pending: 0n, posted: 10_000_000n });
    await startsDone(); // a start left running after the answer would show here
    await expect(
      api.dependencies.temporal.client.workflow.getHandle(cardLoadWorkflowId(loadId)).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // A failed load counts against no limit.
    const me = await bodyOf(await api.app.request('/v1/me', { headers: { authorization } }));
    expect(me.limits.remaining.perDay).toEqual({ amount: '80.00', asset: 'USD' });
  });

  it('lets only one of two concurrent loads through a limit they break together, naming the limit and what is left', async () => {
    const { userId, authorization } = await signIn(api.app, 3005);
    const { cardId } = await issuedCard(api.database.pool, userId);
    const second = await issuedCard(api.database.pool, userId);
    await fundWallet(api.database.pool, userId, '200');
    // 45 USDT: 44.97 USD gross, 0.68 spread, 44.29 received; two make 88.58, over the 80 a day.
    const first = await quote(authorization, cardId, '45');
    const other = await quote(authorization, second.cardId, '45');
    expect(first.received).toEqual({ amount: '44.29', asset: 'USD' });
    // The test holds the user's loading lock until both requests wait for it (or, on a slow machine, for a while
    // below the lock's wait bound), so their binding transactions overlap: without the lock both would sum no loads
    // and both pass.
    const lock = holdLoadLock(userId);
    await lock.held;
    // Two API processes (each takes a user's loads in turns in memory; only the database lock orders them across).
    const secondProcess = createApp({ logger: testLogger('api-2'), healthChecks: {}, v1: api.dependencies });
    const pending = Promise.all([
      load(authorization, cardId, first.id),
      secondProcess.request(
        `/v1/cards/${second.cardId}/loads`,
        jsonRequest(authorization, { quoteId: other.id }, { key: `load-${uniqueSuffix()}` }),
      ),
    ]);
    await waitForLockWaiters(2, cardLoadLockWaitMs * 0.75);
    await lock.release();
    const responses = await pending;
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([202, 422]);
    const refused = responses.find((response) => response.status === 422)!;
    expect(await bodyOf(refused)).toMatchObject({
      reason: 'limit_exceeded',
      details: { limit: 'perDay', remaining: '35.71', asset: 'USD' },
    });
    expect(await loadCount(userId)).toBe(1);
    expect((await wallet(userId)).pending).toBe(45_000_000n);
  });

  it("refuses a load that waits too long for the user's lock as retryable (503), and the same key then goes through", async () => {
    const { userId, authorization } = await signIn(api.app, 3006);
    const { cardId } = await issuedCard(api.database.pool, userId);
    await fundWallet(api.database.pool, userId, '100');
    const quoted = await quote(authorization, cardId, '5');
    const key = `busy-${uniqueSuffix()}`;
    const lock = holdLoadLock(userId);
    await lock.held;
    let busy: Response;
    try {
      busy = await load(authorization, cardId, quoted.id, key);
    } finally {
      await lock.release();
    }
    expect(busy.status).toBe(503);
    expect((await bodyOf(busy)).reason).toBe('loads_busy');
    expect(await loadCount(userId)).toBe(0);
    const retried = await load(authorization, cardId, quoted.id, key);
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('continues a load whose request died after binding its quote: the same key finishes it (202), another key too (409)', async () => {
    const { userId, authorization } = await signIn(api.app, 3007);
    const { cardId } = await issuedCard(api.database.pool, userId);
    await fundWallet(api.database.pool, userId, '100');
    const store = createCardStore(api.database.pool);
    const ledger = ledgerOf(api.database.pool);
    const temporal = api.dependencies.temporal.client;
    // A request that crashed right after step 1: the quote bound to its load, nothing held, no workflow.
    async function crashedAfterBinding(key: string) {
      const quoted = await quote(authorization, cardId, '5');
      const now = new Date(clockMs);
      const loadId = loadIdOfQuote(quoted.id);
      await store.quotes.bindToLoad({
        userId,
        cardId,
        quoteId: quoted.id,
        loadId,
        idempotencyKey: key,
        now,
        dayStart: now,
        monthStart: now,
        cardPostedReadAt: now,
        checkLimits: () => undefined,
      });
      expect(await ledger.transferById(cardLoadPendingTransferId(loadId))).toBeUndefined();
      return { loadId, quoteId: quoted.id };
    }
    async function expectContinued(loadId: string) {
      await startsDone();
      expect((await ledger.transferById(cardLoadPendingTransferId(loadId)))?.amountMinor).toBe(5_000_000n);
      expect((await temporal.workflow.getHandle(cardLoadWorkflowId(loadId)).describe()).type).toBe(
        'cardLoadWorkflow',
      );
    }

    const sameKey = `crashed-${uniqueSuffix()}`;
    const first = await crashedAfterBinding(sameKey);
    const retried = await load(authorization, cardId, first.quoteId, sameKey);
    expect(retried.status).toBe(202);
    expect((await bodyOf(retried)).id).toBe(first.loadId);
    await expectContinued(first.loadId);

    const second = await crashedAfterBinding(`crashed-${uniqueSuffix()}`);
    const otherKey = await load(authorization, cardId, second.quoteId);
    expect(otherKey.status).toBe(409);
    expect(await bodyOf(otherKey)).toMatchObject({
      reason: 'quote_used',
      details: { loadId: second.loadId },
    });
    await expectContinued(second.loadId);
  });

  it('answers 202 without waiting for Temporal: starts it refuses are tried again after the answer', async () => {
    const { userId, authorization } = await signIn(api.app, 3008);
    const { cardId } = await issuedCard(api.database.pool, userId);
    await fundWallet(api.database.pool, userId, '100');
    // The real Temporal client, but its first two starts refused as an unreachable server would refuse them.
    const client = api.dependencies.temporal.client;
    let refusals = 2;
    const refusingWorkflow = Object.create(client.workflow, {
      start: {
        value: (...args: Parameters<typeof client.workflow.start>) => {
          if (refusals > 0) {
            refusals -= 1;
            return Promise.reject(new Error('14 UNAVAILABLE: injected by the test'));
          }
          return client.workflow.start(...args);
        },
      },
    }) as typeof client.workflow;
    const afterResponse = createAfterResponse(testLogger('api-refusing'), {
      inFlightMax: 10,
      attemptsMax: 5,
      retryDelayMs: 20,
    });
    const refusingApp = createApp({
      logger: testLogger('api-refusing'),
      healthChecks: {},
      v1: {
        ...api.dependencies,
        temporal: {
          ...api.dependencies.temporal,
          client: Object.create(client, { workflow: { value: refusingWorkflow } }),
        },
        afterResponse,
      },
    });
    const quoted = await quote(authorization, cardId, '5');
    const response = await refusingApp.request(
      `/v1/cards/${cardId}/loads`,
      jsonRequest(authorization, { quoteId: quoted.id }, { key: `refused-${uniqueSuffix()}` }),
    );
    expect(response.status).toBe(202);
    const loadId = loadIdOfQuote(quoted.id);
    expect((await bodyOf(response)).id).toBe(loadId);
    expect(await wallet(userId)).toEqual({ pending: 5_000_000n, posted: 100_000_000n });
    expect(await afterResponse.drain(10_000)).toBe(true);
    expect(refusals).toBe(0);
    expect((await client.workflow.getHandle(cardLoadWorkflowId(loadId)).describe()).type).toBe(
      'cardLoadWorkflow',
    );
  });

  it("refuses at once a load past the bound of the user's waiting loads (503), and books only what it answered 202", async () => {
    // One load waits on the user's database lock (held by the test) and so holds the user's turn in this process;
    // 51 more ask for the turn, one more than may wait for it (userTurnsWaitingMax = 50): while the lock is held
    // nothing can finish but that one refusal, so the first answer is it, and it comes at once.
    const { userId, authorization } = await signIn(api.app, 3009);
    const { cardId } = await issuedCard(api.database.pool, userId);
    await fundWallet(api.database.pool, userId, '1000');
    const quotes = await Promise.all(Array.from({ length: 52 }, () => quote(authorization, cardId, '1')));
    const lock = holdLoadLock(userId);
    await lock.held;
    let answers: Response[];
    let firstAnswer: { response: Response; afterMs: number };
    try {
      const holder = load(authorization, cardId, quotes[0]!.id);
      await waitForLockWaiters(1, 2_000);
      const startedAt = Date.now();
      const others = quotes.slice(1).map(async (quoted) => {
        const response = await load(authorization, cardId, quoted.id);
        return { response, afterMs: Date.now() - startedAt };
      });
      firstAnswer = await Promise.race(others);
      await lock.release();
      answers = [await holder, ...(await Promise.all(others)).map((answer) => answer.response)];
    } finally {
      await lock.release();
    }
    expect(firstAnswer.response.status).toBe(503);
    expect((await bodyOf(firstAnswer.response.clone())).reason).toBe('loads_busy');
    expect(firstAnswer.afterMs).toBeLessThan(1_000);
    // Every answer is a 202 or a retryable 503, and the books hold exactly the loads answered 202.
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 202 || status === 503)).toBe(true);
    const accepted = statuses.filter((status) => status === 202).length;
    expect(await loadCount(userId)).toBe(accepted);
    expect((await wallet(userId)).pending).toBe(BigInt(accepted) * 1_000_000n);
    await startsDone();
  });
});
