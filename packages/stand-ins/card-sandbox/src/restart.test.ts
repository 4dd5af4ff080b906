// Proves the card sandbox, run as its own process with CARD_SANDBOX_STATE_DIR, survives `kill -9` as a provider
// would: after a restart it has the same cards (state, balances, transactions), an idempotent load retried with its
// key answers the original load instead of loading twice, a webhook that could not be delivered before the crash is
// delivered after it, and `--fresh` starts empty.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveApp, type RunningServer } from '@cardgate/health';
import { startStandInProcess, type StandInProcess } from '@cardgate/local-stack';
import { developmentApiKey } from './development-keys.ts';

const entry = 'packages/stand-ins/card-sandbox/src/main.ts';
const stateDirectory = mkdtempSync(join(tmpdir(), 'card-sandbox-state-'));
const receivedEventIds: string[] = [];
let receiver: RunningServer;
let running: StandInProcess | undefined;

const start = (args: string[] = []): Promise<StandInProcess> =>
  startStandInProcess({
    entry,
    portVariable: 'CARD_SANDBOX_PORT',
    args,
    env: {
      CARD_SANDBOX_STATE_DIR: stateDirectory,
      CARD_SANDBOX_WEBHOOK_URL: `${receiver.url}/hook`,
      LOG_LEVEL: 'warn',
    },
  });

async function call(
  method: string,
  path: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${running!.url}${path}`, {
    method,
    headers: {
      authorization: developmentApiKey,
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  const app = new Hono().post('/hook', async (context) => {
    const event = await context.req.json<{ event_id: string }>();
    receivedEventIds.push(event.event_id);
    return context.body(null, 200);
  });
  receiver = await serveApp(app, 0);
});

afterAll(async () => {
  await running?.stop();
  await receiver.close();
  rmSync(stateDirectory, { recursive: true, force: true });
});

describe('the card sandbox process with a state directory', () => {
  let firstCard: Record<string, unknown>;
  let secondCard: Record<string, unknown>;
  let load: Record<string, unknown>;
  let transactionsBefore: unknown;
  let authorizationEventId: string;

  it('keeps cards, loads, transactions and idempotency keys across kill -9', async () => {
    running = await start();
    // Webhooks are kept back, so the authorization's event is still undelivered when the process is killed.
    await fetch(`${running.url}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ holdWebhooks: true }),
    });
    firstCard = (await call('POST', '/v1/cards', { type: 'VIRTUAL', memo: 'first' }, 'card-1')).body;
    secondCard = (await call('POST', '/v1/cards', { type: 'VIRTUAL' }, 'card-2')).body;
    const loaded = await call(
      'POST',
      `/v1/cards/${String(firstCard.token)}/loads`,
      {
        amount: '5000',
        currency: 'USD',
      },
      'load-1',
    );
    expect(loaded.status).toBe(201);
    load = loaded.body;
    const authorized = await call('POST', '/v1/simulate/authorize', {
      card_token: firstCard.token,
      amount: '1250',
      descriptor: 'COFFEE SHOP',
    });
    expect(authorized.body.result).toBe('APPROVED');
    authorizationEventId = String(authorized.body.event_id);
    expect((await call('PATCH', `/v1/cards/${String(secondCard.token)}`, { state: 'PAUSED' })).status).toBe(
      200,
    );
    const firstBefore = (await call('GET', `/v1/cards/${String(firstCard.token)}`)).body;
    expect(firstBefore.balance).toEqual({
      currency: 'USD',
      available_amount: '3750',
      pending_amount: '1250',
      settled_amount: '5000',
    });
    transactionsBefore = (await call('GET', `/v1/cards/${String(firstCard.token)}/transactions`)).body;

    await running.kill();
    running = await start();

    expect((await call('GET', `/v1/cards/${String(firstCard.token)}`)).body).toEqual(firstBefore);
    const second = (await call('GET', `/v1/cards/${String(secondCard.token)}`)).body;
    expect(second.state).toBe('PAUSED');
    expect(second.last_four).toBe(secondCard.last_four);
    expect((await call('GET', `/v1/cards/${String(firstCard.token)}/transactions`)).body).toEqual(
      transactionsBefore,
    );
    // The same keys answer the original objects: nothing is created twice.
    const retriedLoad = await call(
      'POST',
      `/v1/cards/${String(firstCard.token)}/loads`,
      {
        amount: '5000',
        currency: 'USD',
      },
      'load-1',
    );
    expect(retriedLoad).toEqual({ status: 200, body: load });
    expect((await call('GET', '/v1/loads?idempotency_key=load-1')).body).toEqual(load);
    const retriedCard = await call('POST', '/v1/cards', { type: 'VIRTUAL', memo: 'first' }, 'card-1');
    expect(retriedCard.status).toBe(200);
    expect(retriedCard.body.token).toBe(firstCard.token);
    expect((await call('POST', '/v1/cards', { type: 'VIRTUAL' }, 'card-1')).status).toBe(409);
    const summary = await fetch(`${running.url}/admin/state`).then(
      (response) => response.json() as Promise<Record<string, unknown>>,
    );
    expect(summary).toMatchObject({ cards: 2, loads: 1, transactions: 1 });
  });

  it('delivers after a restart the webhooks it could not deliver before the crash', async () => {
    // Held before the first kill, so never delivered; the restart in the test above sent it again.
    const deadline = Date.now() + 10_000;
    while (!receivedEventIds.includes(authorizationEventId) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receivedEventIds).toContain(authorizationEventId);
    // Delivered once it is settled: a further restart does not send it again.
    const deliveredCount = receivedEventIds.length;
    await running!.kill();
    running = await start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receivedEventIds.length).toBe(deliveredCount);
  });

  it('starts empty with --fresh', async () => {
    await running!.kill();
    running = await start(['--fresh']);
    expect((await call('GET', `/v1/cards/${String(firstCard.token)}`)).status).toBe(404);
    expect((await call('GET', '/v1/loads?idempotency_key=load-1')).status).toBe(404);
    const summary = await fetch(`${running.url}/admin/state`).then(
      (response) => response.json() as Promise<Record<string, unknown>>,
    );
    expect(summary).toMatchObject({ cards: 0, loads: 0, transactions: 0 });
  });
});
