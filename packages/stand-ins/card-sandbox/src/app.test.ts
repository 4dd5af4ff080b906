// The sandbox over HTTP: routes, auth, validation and idempotency through app.request(), then a real server with a
// local webhook receiver for signatures, ordering, retries and the fault injections.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { Hono } from 'hono';
import { verifyWebhook } from '@cardgate/card-provider';
import { serveApp, type RunningServer } from '@cardgate/health';
import { createCardSandbox, startCardSandbox, type RunningCardSandbox } from './sandbox.ts';
import type { TransactionView, WebhookEvent } from './state.ts';

const apiKey = 'test-api-key';
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

type Sandbox = ReturnType<typeof createCardSandbox>;

function client(sandbox: Sandbox) {
  return (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> =>
    Promise.resolve(
      sandbox.app.request(path, {
        method,
        headers: { authorization: apiKey, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );
}

type JsonObject = Record<string, unknown>;

async function json(response: Response | Promise<Response>): Promise<{ status: number; body: JsonObject }> {
  const answered = await response;
  return { status: answered.status, body: (await answered.json()) as JsonObject };
}

describe('the /v1 API through app.request()', () => {
  let sandbox: Sandbox;
  let call: ReturnType<typeof client>;
  beforeEach(() => {
    sandbox = createCardSandbox({ apiKey, webhookSecret: secret });
    call = client(sandbox);
  });

  const newCard = async (key = 'card-key'): Promise<string> => {
    const created = await json(call('POST', '/v1/cards', { type: 'VIRTUAL' }, { 'idempotency-key': key }));
    expect(created.status).toBe(201);
    return created.body.token as string;
  };
  const load = (card: string, amount: unknown, key: string) =>
    json(call('POST', `/v1/cards/${card}/loads`, { amount, currency: 'USD' }, { 'idempotency-key': key }));

  it('refuses a missing or wrong API key but lets /admin and /health through', async () => {
    expect((await sandbox.app.request('/v1/cards/card_x')).status).toBe(401);
    const wrong = await json(sandbox.app.request('/v1/cards/card_x', { headers: { authorization: 'nope' } }));
    expect(wrong).toEqual({ status: 401, body: { error: 'unauthorized', message: expect.any(String) } });
    expect((await sandbox.app.request('/admin/state')).status).toBe(200);
    expect(await json(sandbox.app.request('/health'))).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('creates cards idempotently: a replay answers 200 with the original, another body is a 409', async () => {
    const missingKey = await json(call('POST', '/v1/cards', { type: 'VIRTUAL' }));
    expect(missingKey).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const badKey = await json(call('POST', '/v1/cards', { type: 'VIRTUAL' }, { 'idempotency-key': 'a b' }));
    expect(badKey.status).toBe(400);

    const first = await json(
      call('POST', '/v1/cards', { type: 'VIRTUAL', memo: 'x' }, { 'idempotency-key': 'c-1' }),
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      token: expect.stringMatching(/^card_/),
      type: 'VIRTUAL',
      state: 'OPEN',
      last_four: expect.stringMatching(/^\d{4}$/),
      balance: { currency: 'USD', available_amount: '0', pending_amount: '0', settled_amount: '0' },
    });
    const replay = await json(
      call('POST', '/v1/cards', { memo: 'x', type: 'VIRTUAL' }, { 'idempotency-key': 'c-1' }),
    );
    expect(replay).toEqual({ status: 200, body: first.body });
    const reused = await json(
      call('POST', '/v1/cards', { type: 'VIRTUAL', memo: 'y' }, { 'idempotency-key': 'c-1' }),
    );
    expect(reused).toMatchObject({ status: 409, body: { error: 'idempotency_key_reused' } });
    expect(sandbox.summary.cards).toBe(1);
  });

  it('validates bodies: malformed JSON, unknown type, oversize body', async () => {
    const notJson = await json(call('POST', '/v1/cards', '{"type":', { 'idempotency-key': 'k' }));
    expect(notJson).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const physical = await json(call('POST', '/v1/cards', { type: 'PHYSICAL' }, { 'idempotency-key': 'k' }));
    expect(physical).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const huge = await call(
      'POST',
      '/v1/cards',
      { type: 'VIRTUAL', memo: 'x'.repeat(70_000) },
      {
        'idempotency-key': 'k',
      },
    );
    expect(huge.status).toBe(413);
    expect(sandbox.summary.cards).toBe(0);
  });

  it('loads a card, answers a replayed load, and refuses malformed amounts', async () => {
    const card = await newCard();
    for (const bad of [1250, '12.50', '-1', '01', '1000000000000', '0', null])
      expect(await load(card, bad, `bad-${String(bad)}`)).toMatchObject({
        status: 400,
        body: { error: 'invalid_amount' },
      });
    const first = await load(card, '1250', 'load-1');
    expect(first).toMatchObject({
      status: 201,
      body: {
        card_token: card,
        idempotency_key: 'load-1',
        amount: '1250',
        currency: 'USD',
        status: 'SETTLED',
      },
    });
    expect(await load(card, '1250', 'load-1')).toEqual({ status: 200, body: first.body });
    expect(await load(card, '1251', 'load-1')).toMatchObject({
      status: 409,
      body: { error: 'idempotency_key_reused' },
    });
    const missingKey = await json(call('POST', `/v1/cards/${card}/loads`, { amount: '1', currency: 'USD' }));
    expect(missingKey.status).toBe(400);
    expect(await json(call('GET', '/v1/loads?idempotency_key=load-1'))).toEqual({
      status: 200,
      body: first.body,
    });
    expect(await json(call('GET', '/v1/loads?idempotency_key=load-2'))).toMatchObject({
      status: 404,
      body: { error: 'load_not_found' },
    });
    const fetched = await json(call('GET', `/v1/cards/${card}`));
    expect(fetched.body.balance).toEqual({
      currency: 'USD',
      available_amount: '1250',
      pending_amount: '0',
      settled_amount: '1250',
    });
    expect(await load('card_missing', '1', 'load-3')).toMatchObject({
      status: 404,
      body: { error: 'card_not_found' },
    });
  });

  it('changes card state: pause, resume, close; closed is final and refuses loads', async () => {
    const card = await newCard();
    const patch = (state: string) => json(call('PATCH', `/v1/cards/${card}`, { state }));
    expect((await patch('PAUSED')).body.state).toBe('PAUSED');
    expect((await load(card, '100', 'paused')).status).toBe(201);
    expect((await patch('OPEN')).body.state).toBe('OPEN');
    expect((await patch('CLOSED')).body.state).toBe('CLOSED');
    expect(await patch('CLOSED')).toMatchObject({ status: 200, body: { state: 'CLOSED' } });
    expect(await patch('OPEN')).toMatchObject({ status: 409, body: { error: 'card_closed' } });
    expect(await patch('FROZEN')).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await load(card, '100', 'closed')).toMatchObject({ status: 422, body: { error: 'card_closed' } });
  });

  it('simulates an authorization, a clearing and a return, and lists the transactions oldest first', async () => {
    const card = await newCard();
    await load(card, '5000', 'fund');
    const authorized = await json(
      call('POST', '/v1/simulate/authorize', {
        card_token: card,
        amount: '1250',
        descriptor: 'COFFEE SHOP',
        mcc: '5812',
        merchant_amount: '1150',
        merchant_currency: 'EUR',
      }),
    );
    expect(authorized).toEqual({
      status: 200,
      body: {
        token: expect.stringMatching(/^txn_/),
        result: 'APPROVED',
        event_id: expect.stringMatching(/^evt_/),
      },
    });
    const declined = await json(
      call('POST', '/v1/simulate/authorize', { card_token: card, amount: '9999', descriptor: 'TV' }),
    );
    expect(declined.body.result).toBe('INSUFFICIENT_FUNDS');
    const cleared = await json(
      call('POST', '/v1/simulate/clearing', { token: authorized.body.token, amount: '1000' }),
    );
    expect(cleared.body).toMatchObject({ token: authorized.body.token, result: 'APPROVED' });
    const voided = await json(
      call('POST', '/v1/simulate/void', { token: authorized.body.token, type: 'AUTHORIZATION_EXPIRY' }),
    );
    expect(voided.status).toBe(200);
    await json(
      call('POST', '/v1/simulate/return', { card_token: card, amount: '300', descriptor: 'REFUND' }),
    );
    await json(
      call('POST', '/v1/simulate/force_post', { card_token: card, amount: '10', descriptor: 'LATE' }),
    );

    const { body } = await json(call('GET', `/v1/cards/${card}`));
    // 5000 loaded − 1000 cleared + 300 returned − 10 force posted; the rest of the hold expired.
    expect(body.balance).toMatchObject({
      settled_amount: '4290',
      pending_amount: '0',
      available_amount: '4290',
    });
    const list = await json(call('GET', `/v1/cards/${card}/transactions`));
    const data = list.body.data as TransactionView[];
    expect(data.map((item) => item.status)).toEqual(['SETTLED', 'DECLINED', 'SETTLED', 'SETTLED']);
    const first = data[0]!;
    expect(first).toMatchObject({
      token: authorized.body.token,
      card_token: card,
      amount: '1250',
      settled_amount: '1000',
      pending_amount: '0',
      descriptor: 'COFFEE SHOP',
      mcc: '5812',
      merchant_amount: '1150',
      merchant_currency: 'EUR',
    });
    expect(first.events.map((event) => [event.payload.kind, event.payload.sequence])).toEqual([
      ['AUTHORIZATION', 1],
      ['CLEARING', 2],
      ['AUTHORIZATION_EXPIRY', 3],
    ]);
    expect(
      await json(call('POST', '/v1/simulate/clearing', { token: 'txn_missing', amount: '1' })),
    ).toMatchObject({ status: 404, body: { error: 'transaction_not_found' } });
    expect(
      await json(call('POST', '/v1/simulate/authorize', { card_token: card, amount: 5, descriptor: 'X' })),
    ).toMatchObject({ status: 400, body: { error: 'invalid_amount' } });
  });

  it('failNext fails /v1 requests without effect but spares simulate and admin', async () => {
    const card = await newCard();
    await json(
      sandbox.app.request('/admin/faults', { method: 'POST', body: JSON.stringify({ failNext: 2 }) }),
    );
    const simulated = await json(
      call('POST', '/v1/simulate/force_post', { card_token: card, amount: '5', descriptor: 'X' }),
    );
    expect(simulated.status).toBe(200);
    expect(await load(card, '100', 'fail-1')).toMatchObject({
      status: 503,
      body: { error: 'injected_failure' },
    });
    expect(
      (await json(call('POST', '/v1/cards', { type: 'VIRTUAL' }, { 'idempotency-key': 'f' }))).status,
    ).toBe(503);
    expect(sandbox.summary).toMatchObject({ cards: 1, loads: 0, faults: { failNext: 0 } });
    expect((await load(card, '100', 'fail-1')).status).toBe(201);

    sandbox.faults.set({ failNext: 1, failStatus: 500 });
    expect((await json(call('GET', `/v1/cards/${card}`))).status).toBe(500);
    expect((await json(call('GET', `/v1/cards/${card}`))).status).toBe(200);
  });

  it('latencyMs delays every /v1 answer', async () => {
    sandbox.faults.set({ latencyMs: 120 });
    const started = performance.now();
    expect((await call('GET', '/v1/cards/card_x')).status).toBe(404);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    expect((await sandbox.app.request('/admin/faults', { method: 'DELETE' })).status).toBe(200);
    expect(sandbox.faults.current.latencyMs).toBe(0);
  });

  it('rejects malformed fault settings', async () => {
    const response = await json(
      sandbox.app.request('/admin/faults', { method: 'POST', body: JSON.stringify({ failNext: -1 }) }),
    );
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });
});

interface Received {
  readonly id: string;
  readonly valid: boolean;
  readonly event: WebhookEvent;
}

/** A webhook endpoint that verifies signatures (401 when wrong) and can be told to fail the next answers. */
async function startReceiver() {
  const received: Received[] = [];
  const failures: number[] = [];
  const app = new Hono();
  app.post('/hooks', async (context) => {
    const body = await context.req.text();
    let valid = true;
    try {
      verifyWebhook(
        secret,
        {
          id: context.req.header('webhook-id'),
          timestamp: context.req.header('webhook-timestamp'),
          signature: context.req.header('webhook-signature'),
        },
        body,
        Math.floor(Date.now() / 1000),
      );
    } catch {
      valid = false;
    }
    received.push({
      id: context.req.header('webhook-id') ?? '',
      valid,
      event: JSON.parse(body) as WebhookEvent,
    });
    if (!valid) return context.text('bad signature', 401);
    const status = failures.shift();
    return status === undefined ? context.text('ok') : context.text('failing', status as 500);
  });
  const server = await serveApp(app, 0);
  return { server, received, failures, url: `${server.url}/hooks` };
}

describe('a running sandbox delivering webhooks', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let running: RunningCardSandbox;
  let receiverServer: RunningServer;

  beforeAll(async () => {
    receiver = await startReceiver();
    receiverServer = receiver.server;
    running = await startCardSandbox({
      port: 0,
      apiKey,
      webhookSecret: secret,
      webhookUrl: receiver.url,
      webhookBackoffMsMin: 5,
      webhookBackoffMsMax: 20,
    });
  });
  afterAll(async () => {
    await running.close();
    await receiverServer.close();
  });
  beforeEach(async () => {
    await running.sandbox.faults.clear();
    receiver.received.length = 0;
    receiver.failures.length = 0;
  });

  const http = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: apiKey, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const fundedCard = async (amount: string): Promise<string> => {
    const key = `card-${Math.random()}`;
    const card = await http('POST', '/v1/cards', { type: 'VIRTUAL' }, { 'idempotency-key': key });
    const token = card.body.token as string;
    const loaded = await http(
      'POST',
      `/v1/cards/${token}/loads`,
      { amount, currency: 'USD' },
      { 'idempotency-key': `load-${key}` },
    );
    expect(loaded.status).toBe(201);
    return token;
  };
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${running.url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const kinds = () =>
    receiver.received.map((item) => `${item.event.payload.kind}#${item.event.payload.sequence}`);

  it('delivers every event of a transaction signed, in sequence order, with webhook-id = event_id', async () => {
    const card = await fundedCard('10000');
    const authorization = await http('POST', '/v1/simulate/authorize', {
      card_token: card,
      amount: '1250',
      descriptor: 'COFFEE SHOP',
    });
    const token = authorization.body.token as string;
    await http('POST', '/v1/simulate/authorization_advice', { token, amount: '1300' });
    await http('POST', '/v1/simulate/clearing', { token, amount: '1000' });
    await http('POST', '/v1/simulate/void', { token, type: 'AUTHORIZATION_REVERSAL' });
    await running.sandbox.webhooks.idle();
    expect(receiver.received.every((item) => item.valid)).toBe(true);
    expect(kinds()).toEqual([
      'AUTHORIZATION#1',
      'AUTHORIZATION_ADVICE#2',
      'CLEARING#3',
      'AUTHORIZATION_REVERSAL#4',
    ]);
    expect(receiver.received[0]!.id).toBe(authorization.body.event_id);
    expect(receiver.received[0]!.event).toMatchObject({
      event_id: authorization.body.event_id,
      event_type: 'card_transaction.updated',
      payload: {
        transaction_token: token,
        card_token: card,
        amount: '1250',
        currency: 'USD',
        result: 'APPROVED',
      },
    });
    expect(receiver.received[3]!.event.payload.amount).toBe('300');
    expect(running.sandbox.summary.webhooks).toMatchObject({ queued: 0, held: 0 });
  });

  it('retries a delivery answered 5xx until it is accepted, keeping its webhook-id', async () => {
    const card = await fundedCard('100');
    receiver.failures.push(500, 503);
    const before = running.sandbox.summary.webhooks;
    const returned = await http('POST', '/v1/simulate/return', {
      card_token: card,
      amount: '50',
      descriptor: 'R',
    });
    await running.sandbox.webhooks.idle();
    expect(receiver.received.map((item) => item.id)).toEqual([
      returned.body.event_id,
      returned.body.event_id,
      returned.body.event_id,
    ]);
    const after = running.sandbox.summary.webhooks;
    expect(after.failedAttempts - before.failedAttempts).toBe(2);
    expect(after.delivered - before.delivered).toBe(1);
  });

  it('loseLoadResponseNext: the client sees a network error, yet the load exists', async () => {
    const card = await fundedCard('1');
    expect((await admin('POST', '/admin/faults', { loseLoadResponseNext: 1 })).status).toBe(200);
    await expect(
      fetch(`${running.url}/v1/cards/${card}/loads`, {
        method: 'POST',
        headers: { authorization: apiKey, 'idempotency-key': 'lost-load' },
        body: JSON.stringify({ amount: '700', currency: 'USD' }),
      }),
    ).rejects.toThrow();
    const found = await http('GET', '/v1/loads?idempotency_key=lost-load');
    expect(found).toMatchObject({ status: 200, body: { card_token: card, amount: '700' } });
    // Retrying with the same key answers the original load; the card was funded once.
    const retried = await http(
      'POST',
      `/v1/cards/${card}/loads`,
      { amount: '700', currency: 'USD' },
      { 'idempotency-key': 'lost-load' },
    );
    expect(retried).toEqual({ status: 200, body: found.body });
    expect((await http('GET', `/v1/cards/${card}`)).body.balance).toMatchObject({ settled_amount: '701' });
  });

  it('duplicateWebhooks delivers every event twice', async () => {
    const card = await fundedCard('1000');
    await admin('POST', '/admin/faults', { duplicateWebhooks: true });
    const first = await http('POST', '/v1/simulate/force_post', {
      card_token: card,
      amount: '1',
      descriptor: 'A',
    });
    const second = await http('POST', '/v1/simulate/force_post', {
      card_token: card,
      amount: '2',
      descriptor: 'B',
    });
    await running.sandbox.webhooks.idle();
    const ids = receiver.received.map((item) => item.id).sort();
    expect(ids).toEqual(
      [first.body.event_id, first.body.event_id, second.body.event_id, second.body.event_id].sort(),
    );
    expect(receiver.received.every((item) => item.valid)).toBe(true);
  });

  it('holdWebhooks keeps deliveries until released, here in reverse order', async () => {
    const card = await fundedCard('1000');
    await admin('POST', '/admin/faults', { holdWebhooks: true });
    const authorization = await http('POST', '/v1/simulate/authorize', {
      card_token: card,
      amount: '400',
      descriptor: 'SHOP',
    });
    const token = authorization.body.token as string;
    await http('POST', '/v1/simulate/clearing', { token, amount: '100' });
    await http('POST', '/v1/simulate/clearing', { token });
    await running.sandbox.webhooks.idle();
    expect(receiver.received).toEqual([]);
    expect(running.sandbox.summary.webhooks.held).toBe(3);
    const released = await admin('POST', '/admin/webhooks/release', { order: 'reverse' });
    expect(await released.json()).toEqual({ released: 3 });
    await running.sandbox.webhooks.idle();
    expect(kinds()).toEqual(['CLEARING#3', 'CLEARING#2', 'AUTHORIZATION#1']);
    expect(running.sandbox.summary.webhooks.held).toBe(0);
  });

  it('DELETE /admin/faults releases held webhooks in order', async () => {
    const card = await fundedCard('1000');
    running.sandbox.faults.set({ holdWebhooks: true });
    await http('POST', '/v1/simulate/return', { card_token: card, amount: '5', descriptor: 'R' });
    await http('POST', '/v1/simulate/force_post', { card_token: card, amount: '6', descriptor: 'F' });
    expect(receiver.received).toEqual([]);
    const cleared = await admin('DELETE', '/admin/faults');
    expect(await cleared.json()).toMatchObject({ released: 2, faults: { holdWebhooks: false } });
    await running.sandbox.webhooks.idle();
    expect(receiver.received.map((item) => item.event.payload.amount)).toEqual(['5', '6']);
  });

  it('badSignatureNext signs the first attempt wrongly; the retry is signed correctly and accepted', async () => {
    const card = await fundedCard('1000');
    await admin('POST', '/admin/faults', { badSignatureNext: 1 });
    const first = await http('POST', '/v1/simulate/force_post', {
      card_token: card,
      amount: '1',
      descriptor: 'A',
    });
    const second = await http('POST', '/v1/simulate/force_post', {
      card_token: card,
      amount: '2',
      descriptor: 'B',
    });
    await running.sandbox.webhooks.idle();
    const attempts = (id: string) =>
      receiver.received.filter((item) => item.id === id).map((item) => item.valid);
    expect(attempts(first.body.event_id as string)).toEqual([false, true]);
    expect(attempts(second.body.event_id as string)).toEqual([true]);
    expect(running.sandbox.faults.current.badSignatureNext).toBe(0);
  });
});
