// The sandbox's HTTP face (API.md): the Lithic-style /v1 API behind an API key (cards, loads, transactions,
// simulate endpoints), idempotency keys, fault injection on /v1, and the /admin API tests use to steer it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { faultsPatchSchema, type FaultsPatch, type SandboxFaults } from './faults.ts';
import { amount, validate } from './request.ts';
import { simulateRoutes } from './simulate-routes.ts';
import { hashRequest, listPageSizeMax, SandboxError, SandboxState, type ListPage } from './state.ts';
import { formatAmount } from './money-text.ts';
import type { ReleaseOrder, WebhookSender, WebhookStats } from './webhook-sender.ts';

export const bodyBytesMax = 64 * 1024;

/** With @hono/node-server the Node request is in `c.env.incoming`; through `app.request()` there is none. */
export interface SandboxBindings {
  readonly incoming?: { readonly socket?: { destroy: () => void } };
}

export interface SandboxSummary {
  readonly cards: number;
  readonly loads: number;
  readonly transactions: number;
  readonly webhooks: WebhookStats;
  readonly faults: SandboxFaults;
}

export interface SandboxAppDependencies {
  readonly apiKey: string;
  readonly state: SandboxState;
  readonly faults: SandboxFaults;
  readonly webhooks: WebhookSender;
  readonly setFaults: (patch: FaultsPatch) => SandboxFaults;
  /** Clears every fault and releases held webhooks in order; answers how many events were released. */
  readonly clearFaults: () => Promise<number>;
  /** Sends the held webhooks and waits (bounded) for their delivery; answers how many events were released. */
  readonly releaseWebhooks: (order: ReleaseOrder) => Promise<number>;
  readonly summary: () => SandboxSummary;
}

type SandboxContext = Context<{ Bindings: SandboxBindings }>;

const listQuery = z.object({
  page_size: z.coerce.number().int().min(1).max(listPageSizeMax).default(100),
  starting_after: z.string().min(1).max(128).optional(),
});

/** Lithic's list paging: `page_size` (1-1000, default 100) and `starting_after` (the last token seen). */
function listPageOf(context: SandboxContext): ListPage {
  const query = validate(listQuery, {
    page_size: context.req.query('page_size'),
    starting_after: context.req.query('starting_after'),
  });
  return { pageSize: query.page_size, startingAfter: query.starting_after };
}

const idempotencyKeyPattern = /^[A-Za-z0-9:._-]{1,128}$/;

const schemas = {
  createCard: z.object({ type: z.literal('VIRTUAL'), memo: z.string().max(64).optional() }),
  patchCard: z.object({ state: z.enum(['OPEN', 'PAUSED', 'CLOSED']) }),
  load: z.object({ amount, currency: z.literal('USD') }),
  release: z.object({ order: z.enum(['fifo', 'reverse']).default('fifo') }),
};

async function readJson(context: SandboxContext, optional = false): Promise<unknown> {
  const text = await context.req.text();
  if (text.length === 0 && optional) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new SandboxError(400, 'invalid_request', 'the body must be JSON');
  }
}

function idempotencyKeyOf(context: SandboxContext): string {
  const key = context.req.header('idempotency-key');
  if (key === undefined || !idempotencyKeyPattern.test(key))
    throw new SandboxError(
      400,
      'invalid_request',
      'an Idempotency-Key header of 1-128 characters [A-Za-z0-9:._-] is required',
    );
  return key;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function createSandboxApp(dependencies: SandboxAppDependencies) {
  const { state, faults, webhooks } = dependencies;
  const apiKeyDigest = digest(dependencies.apiKey);
  const app = new Hono<{ Bindings: SandboxBindings }>();

  app.onError((error, context) => {
    if (error instanceof SandboxError)
      return context.json({ error: error.code, message: error.message }, error.status);
    return context.json({ error: 'internal', message: 'the sandbox failed' }, 500);
  });
  app.notFound((context) => context.json({ error: 'not_found', message: 'no such route' }, 404));

  app.use(
    '*',
    bodyLimit({
      maxSize: bodyBytesMax,
      onError: (context) =>
        context.json(
          { error: 'payload_too_large', message: `bodies are at most ${bodyBytesMax} bytes` },
          413,
        ),
    }),
  );

  app.use('/v1/*', async (context, next) => {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const given = context.req.header('authorization');
    // Compared as digests, in constant time, so the key's length and prefix do not leak through timing.
    if (given === undefined || !timingSafeEqual(digest(given), apiKeyDigest))
      return context.json({ error: 'unauthorized', message: 'a valid API key is required' }, 401);
    if (faults.failNext > 0 && !context.req.path.startsWith('/v1/simulate/')) {
      faults.failNext -= 1;
      return context.json(
        { error: 'injected_failure', message: 'fault injection: this request had no effect' },
        faults.failStatus as 503,
      );
    }
    await next();
  });

  // --- cards -------------------------------------------------------------------------------------------------------

  app.post('/v1/cards', async (context) => {
    const key = idempotencyKeyOf(context);
    const body = validate(schemas.createCard, await readJson(context));
    const bodyHash = hashRequest('POST /v1/cards', body);
    const earlier = state.checkIdempotency('cards', key, bodyHash);
    if (earlier.kind === 'replay') return context.json(earlier.response, 200);
    // The card and its idempotency record are saved together: a retry after a crash finds both or neither.
    const view = state.transact(() => {
      const card = state.createCard({ memo: body.memo });
      const created = state.cardView(card.token);
      state.rememberIdempotency('cards', key, bodyHash, created);
      return created;
    });
    return context.json(view, 201);
  });

  app.get('/v1/cards', (context) => {
    const page = state.listCards(listPageOf(context));
    return context.json({
      data: page.items.map((card) => state.cardView(card.token)),
      has_more: page.hasMore,
    });
  });

  app.get('/v1/cards/:token', (context) => context.json(state.cardView(context.req.param('token'))));

  app.patch('/v1/cards/:token', async (context) => {
    const body = validate(schemas.patchCard, await readJson(context));
    const card = state.setCardState(context.req.param('token'), body.state);
    return context.json(state.cardView(card.token));
  });

  app.get('/v1/cards/:token/transactions', (context) =>
    context.json({
      data: state
        .transactionsOf(context.req.param('token'))
        .map((item) => SandboxState.transactionView(item)),
    }),
  );

  // --- loads -------------------------------------------------------------------------------------------------------

  app.post('/v1/cards/:token/loads', async (context) => {
    const key = idempotencyKeyOf(context);
    const cardToken = context.req.param('token');
    const body = validate(schemas.load, await readJson(context));
    const bodyHash = hashRequest('POST /v1/cards/{token}/loads', { card_token: cardToken, ...body });
    const earlier = state.checkIdempotency('loads', key, bodyHash);
    let response: unknown;
    let status: 200 | 201;
    if (earlier.kind === 'replay') {
      response = earlier.response;
      status = 200;
    } else {
      if (body.amount <= 0n) throw new SandboxError(400, 'invalid_amount', 'a load must be positive');
      // The load and its idempotency record are saved together, like the card above.
      response = state.transact(() => {
        const view = SandboxState.loadView(state.load(cardToken, body.amount, key));
        state.rememberIdempotency('loads', key, bodyHash, view);
        return view;
      });
      status = 201;
    }
    if (faults.loseLoadResponseNext > 0) {
      faults.loseLoadResponseNext -= 1;
      const socket = context.env?.incoming?.socket;
      if (socket) {
        // The load took effect; the client never hears so.
        socket.destroy();
        return new Response(null, { status: 204 });
      }
      // No socket to drop (app.request() in tests): the nearest equivalent, a 5xx after the effect.
      return context.json({ error: 'response_lost', message: 'fault injection: the load took effect' }, 502);
    }
    return context.json(response, status);
  });

  app.get('/v1/loads', (context) => {
    const key = context.req.query('idempotency_key');
    if (key === undefined) {
      const page = state.listLoads(listPageOf(context));
      return context.json({
        data: page.items.map((load) => SandboxState.loadView(load)),
        has_more: page.hasMore,
      });
    }
    if (!idempotencyKeyPattern.test(key))
      throw new SandboxError(400, 'invalid_request', 'the idempotency_key query parameter is malformed');
    return context.json(SandboxState.loadView(state.loadByIdempotencyKey(key)));
  });

  app.get('/v1/transactions', (context) => {
    const page = state.listTransactions(listPageOf(context));
    return context.json({
      data: page.items.map((transaction) => SandboxState.transactionView(transaction)),
      has_more: page.hasMore,
    });
  });

  // The program's balance (Lithic's GET /v1/balances, one financial account here: the program's reserve).
  app.get('/v1/balances', (context) => {
    const balance = state.programBalance();
    return context.json({
      data: [
        {
          financial_account_type: 'RESERVE',
          currency: 'USD',
          total_amount: formatAmount(balance.settled),
          pending_amount: formatAmount(balance.pending),
          available_amount: formatAmount(balance.available),
          as_of: new Date().toISOString(),
        },
      ],
    });
  });

  // --- simulate (simulate-routes.ts) --------------------------------------------------------------------------------

  for (const route of simulateRoutes) {
    app.post(`/v1/simulate/${route.path}`, async (context) => {
      const outcome = state.simulate(route.run(await readJson(context)));
      webhooks.send(outcome.event);
      return context.json({
        token: outcome.transaction.token,
        result: outcome.transaction.result,
        event_id: outcome.event.event_id,
      });
    });
  }

  // --- admin (no API key; development and tests only) --------------------------------------------------------------

  app.post('/admin/faults', async (context) => {
    const patch = validate(faultsPatchSchema, await readJson(context));
    return context.json({ faults: dependencies.setFaults(patch) });
  });
  app.delete('/admin/faults', async (context) => {
    const released = await dependencies.clearFaults();
    return context.json({ faults, released });
  });
  app.post('/admin/webhooks/release', async (context) => {
    const body = validate(schemas.release, await readJson(context, true));
    const order: ReleaseOrder = body.order;
    return context.json({ released: await dependencies.releaseWebhooks(order) });
  });
  app.get('/admin/state', (context) => context.json(dependencies.summary()));

  app.get('/health', (context) => context.json({ status: 'ok' }));

  return app;
}

export type SandboxApp = ReturnType<typeof createSandboxApp>;
