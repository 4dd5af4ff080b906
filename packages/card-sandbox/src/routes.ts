// The sandbox's HTTP API (API.md): Lithic-style cards, loads, transactions and simulate endpoints, plus the /admin
// fault switches. Validation happens here; the rules live in card-book.ts; webhooks go out through webhook-delivery.ts.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import {
  balanceOf,
  SandboxRefusal,
  type CardBook,
  type SandboxCard,
  type SandboxEvent,
  type SandboxLoad,
  type SandboxTransaction,
} from './card-book.ts';
import type { DeliveryFaults, WebhookDelivery } from './webhook-delivery.ts';

export interface SandboxFaults extends DeliveryFaults {
  latencyMs: number;
  failNext: number;
  failStatus: number;
  loseLoadResponseNext: number;
}

export const noFaults = (): SandboxFaults => ({
  latencyMs: 0,
  failNext: 0,
  failStatus: 503,
  loseLoadResponseNext: 0,
  duplicateWebhooks: false,
  holdWebhooks: false,
  badSignatureNext: 0,
});

const amount = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,11})$/)
  .transform((text) => BigInt(text));
const positiveAmount = amount.refine((value) => value > 0n);
const tokenText = z.string().regex(/^[A-Za-z0-9_]{1,64}$/);
const idempotencyKeyPattern = /^[A-Za-z0-9:._-]{1,128}$/;
const merchantFields = {
  descriptor: z.string().min(1).max(64),
  mcc: z
    .string()
    .regex(/^[0-9]{4}$/)
    .optional(),
  merchant_amount: amount.optional(),
  merchant_currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
};
const schemas = {
  createCard: z.object({ type: z.literal('VIRTUAL'), memo: z.string().max(64).optional() }),
  setState: z.object({ state: z.enum(['OPEN', 'PAUSED', 'CLOSED']) }),
  load: z.object({ amount: positiveAmount, currency: z.literal('USD') }),
  authorize: z.object({ card_token: tokenText, amount: positiveAmount, ...merchantFields }),
  advice: z.object({ token: tokenText, amount: positiveAmount }),
  clearing: z.object({ token: tokenText, amount: positiveAmount.optional() }),
  void: z.object({
    token: tokenText,
    amount: positiveAmount.optional(),
    type: z.enum(['AUTHORIZATION_REVERSAL', 'AUTHORIZATION_EXPIRY']),
  }),
  newTransaction: z.object({ card_token: tokenText, amount: positiveAmount, ...merchantFields }),
  returnReversal: z.object({ token: tokenText }),
  faults: z
    .object({
      latencyMs: z.number().int().min(0).max(60_000),
      failNext: z.number().int().min(0).max(1_000),
      failStatus: z.number().int().min(500).max(599),
      loseLoadResponseNext: z.number().int().min(0).max(1_000),
      duplicateWebhooks: z.boolean(),
      holdWebhooks: z.boolean(),
      badSignatureNext: z.number().int().min(0).max(1_000),
    })
    .partial(),
  release: z.object({ order: z.enum(['fifo', 'reverse']) }),
};

const text = (minor: bigint): string => minor.toString();

export function cardJson(card: SandboxCard) {
  const balance = balanceOf(card);
  return {
    token: card.token,
    type: card.type,
    state: card.state,
    last_four: card.lastFour,
    memo: card.memo,
    created: card.created,
    balance: {
      currency: 'USD',
      available_amount: text(balance.availableMinor),
      pending_amount: text(balance.pendingMinor),
      settled_amount: text(balance.settledMinor),
    },
  };
}

const loadJson = (load: SandboxLoad) => ({
  token: load.token,
  card_token: load.cardToken,
  idempotency_key: load.idempotencyKey,
  amount: text(load.amountMinor),
  currency: 'USD',
  status: 'SETTLED',
  created: load.created,
});

const transactionJson = (txn: SandboxTransaction) => ({
  token: txn.token,
  card_token: txn.cardToken,
  status: txn.status,
  amount: text(txn.authorizedMinor),
  settled_amount: text(txn.settledMinor),
  pending_amount: text(txn.holdMinor),
  descriptor: txn.descriptor,
  mcc: txn.mcc,
  merchant_amount: txn.merchantAmountMinor === null ? null : text(txn.merchantAmountMinor),
  merchant_currency: txn.merchantCurrency,
  created: txn.created,
  events: txn.events.map((event) => ({ ...event, amountMinor: undefined, amount: text(event.amountMinor) })),
});

/** The webhook body of one event (API.md). */
export function webhookBody(txn: SandboxTransaction, event: SandboxEvent): string {
  return JSON.stringify({
    event_id: event.eventId,
    event_type: 'card_transaction.updated',
    created: event.created,
    payload: {
      transaction_token: txn.token,
      card_token: txn.cardToken,
      kind: event.kind,
      result: event.result,
      sequence: event.sequence,
      amount: text(event.amountMinor),
      currency: 'USD',
      merchant_amount: txn.merchantAmountMinor === null ? null : text(txn.merchantAmountMinor),
      merchant_currency: txn.merchantCurrency,
      mcc: txn.mcc,
      descriptor: txn.descriptor,
    },
  });
}

function refuse(status: number, error: string, message: string): Response {
  return new Response(JSON.stringify({ error, message }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

async function parse<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new SandboxRefusal(400, 'invalid_json', 'the body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    throw new SandboxRefusal(
      400,
      field.includes('amount') ? 'invalid_amount' : 'invalid_request',
      `${field || 'body'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

function idempotencyKey(c: Context): string {
  const key = c.req.header('idempotency-key');
  if (!key || !idempotencyKeyPattern.test(key))
    throw new SandboxRefusal(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key is required: 1-128 of [A-Za-z0-9:._-]',
    );
  return key;
}

export interface SandboxRoutesDependencies {
  readonly book: CardBook;
  readonly faults: SandboxFaults;
  readonly webhooks: WebhookDelivery;
  readonly apiKey: string;
}

export function createSandboxRoutes(dependencies: SandboxRoutesDependencies) {
  const { book, faults, webhooks } = dependencies;
  const createdCards = new Map<string, { hash: string; cardToken: string }>();
  const app = new Hono();

  const emit = (result: { txn: SandboxTransaction; event: SandboxEvent }) => {
    webhooks.send({
      eventId: result.event.eventId,
      orderKey: result.txn.token,
      body: webhookBody(result.txn, result.event),
    });
    return { token: result.txn.token, result: result.event.result, event_id: result.event.eventId };
  };

  app.use(
    '*',
    bodyLimit({ maxSize: 64 * 1024, onError: () => refuse(413, 'body_too_large', 'at most 64 KiB') }),
  );
  app.onError((error) => {
    if (error instanceof SandboxRefusal) return refuse(error.status, error.code, error.message);
    return refuse(500, 'internal', error.message);
  });
  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.use('/v1/*', async (c, next) => {
    if (c.req.header('authorization') !== dependencies.apiKey)
      return refuse(401, 'unauthorized', 'a valid API key is required');
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.failNext > 0 && !c.req.path.startsWith('/v1/simulate/')) {
      faults.failNext -= 1;
      return refuse(
        faults.failStatus,
        'injected_failure',
        'fault injection: this request failed without effect',
      );
    }
    await next();
  });

  app.post('/v1/cards', async (c) => {
    const key = idempotencyKey(c);
    const body = await parse(c, schemas.createCard);
    const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const earlier = createdCards.get(key);
    if (earlier) {
      if (earlier.hash !== hash)
        throw new SandboxRefusal(409, 'idempotency_key_reused', 'the key was used for another card');
      return c.json(cardJson(book.card(earlier.cardToken)), 200);
    }
    const card = book.createCard({ memo: body.memo });
    createdCards.set(key, { hash, cardToken: card.token });
    return c.json(cardJson(card), 201);
  });
  app.get('/v1/cards/:token', (c) => c.json(cardJson(book.card(c.req.param('token')))));
  app.patch('/v1/cards/:token', async (c) => {
    const body = await parse(c, schemas.setState);
    return c.json(cardJson(book.setState(c.req.param('token'), body.state)));
  });

  app.post('/v1/cards/:token/loads', async (c) => {
    const key = idempotencyKey(c);
    const body = await parse(c, schemas.load);
    const cardToken = c.req.param('token');
    const earlier = book.findLoad(key);
    if (earlier) {
      if (earlier.cardToken !== cardToken || earlier.amountMinor !== body.amount)
        throw new SandboxRefusal(409, 'idempotency_key_reused', 'the key was used for another load');
      return c.json(loadJson(earlier), 200);
    }
    const load = book.load(cardToken, key, body.amount);
    if (faults.loseLoadResponseNext > 0) {
      faults.loseLoadResponseNext -= 1;
      // The load took effect; the client never hears so.
      const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
      incoming?.socket?.destroy();
      return new Response(null, { status: 599 });
    }
    return c.json(loadJson(load), 201);
  });
  app.get('/v1/loads', (c) => {
    const key = c.req.query('idempotency_key') ?? '';
    const load = idempotencyKeyPattern.test(key) ? book.findLoad(key) : undefined;
    if (!load) throw new SandboxRefusal(404, 'load_not_found', `no load has key ${key}`);
    return c.json(loadJson(load));
  });

  app.get('/v1/cards/:token/transactions', (c) =>
    c.json({ data: book.transactionsOf(c.req.param('token')).map(transactionJson) }),
  );

  const merchantOf = (body: {
    descriptor: string;
    mcc?: string;
    merchant_amount?: bigint;
    merchant_currency?: string;
  }) => ({
    descriptor: body.descriptor,
    mcc: body.mcc ?? null,
    merchantAmountMinor: body.merchant_amount ?? null,
    merchantCurrency: body.merchant_currency ?? null,
  });
  app.post('/v1/simulate/authorize', async (c) => {
    const body = await parse(c, schemas.authorize);
    return c.json(emit(book.authorize(body.card_token, body.amount, merchantOf(body))));
  });
  app.post('/v1/simulate/authorization_advice', async (c) => {
    const body = await parse(c, schemas.advice);
    return c.json(emit(book.authorizationAdvice(body.token, body.amount)));
  });
  app.post('/v1/simulate/clearing', async (c) => {
    const body = await parse(c, schemas.clearing);
    return c.json(emit(book.clearing(body.token, body.amount)));
  });
  app.post('/v1/simulate/void', async (c) => {
    const body = await parse(c, schemas.void);
    return c.json(emit(book.void(body.token, body.type, body.amount)));
  });
  app.post('/v1/simulate/return', async (c) => {
    const body = await parse(c, schemas.newTransaction);
    return c.json(emit(book.returnCredit(body.card_token, body.amount, merchantOf(body))));
  });
  app.post('/v1/simulate/return_reversal', async (c) => {
    const body = await parse(c, schemas.returnReversal);
    return c.json(emit(book.returnReversal(body.token)));
  });
  app.post('/v1/simulate/financial_authorization', async (c) => {
    const body = await parse(c, schemas.newTransaction);
    return c.json(emit(book.financialAuthorization(body.card_token, body.amount, merchantOf(body))));
  });
  app.post('/v1/simulate/force_post', async (c) => {
    const body = await parse(c, schemas.newTransaction);
    return c.json(emit(book.forcePost(body.card_token, body.amount, merchantOf(body))));
  });

  app.post('/admin/faults', async (c) => {
    const body = await parse(c, schemas.faults);
    Object.assign(faults, body);
    return c.json(faults);
  });
  app.delete('/admin/faults', async (c) => {
    Object.assign(faults, noFaults());
    await webhooks.release('fifo');
    return c.json(faults);
  });
  app.post('/admin/webhooks/release', async (c) => {
    const body = await parse(c, schemas.release);
    faults.holdWebhooks = false;
    return c.json({ released: await webhooks.release(body.order) });
  });
  app.get('/admin/state', (c) => c.json({ ...book.summary(), webhooks: webhooks.stats() }));

  return app;
}
