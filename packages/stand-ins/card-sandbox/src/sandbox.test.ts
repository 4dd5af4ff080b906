// Proves the sandbox speaks API.md, through the same HTTP adapter Cardgate uses in production (so this is also the
// adapter's contract test): idempotent cards and loads, balances under each simulate kind, signed webhooks that the
// adapter verifies, and every fault API.md lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { createHttpCardProvider, CardProviderError, type CardProvider } from '@cardgate/card-provider';
import type { CardTransactionEvent } from '@cardgate/contracts';
import { moneyFromMinor, USD } from '@cardgate/money';
import { serveApp, type RunningServer } from '@cardgate/health';
import { startCardSandbox } from './sandbox.ts';
import { developmentApiKey, developmentWebhookSecret } from './development-keys.ts';

const received: { event: CardTransactionEvent | null; status: number }[] = [];
let receiver: RunningServer;
let running: Awaited<ReturnType<typeof startCardSandbox>>;
let provider: CardProvider;

beforeAll(async () => {
  const app = new Hono().post('/hook', async (c) => {
    const body = await c.req.text();
    try {
      const event = provider.parseWebhook(
        {
          id: c.req.header('webhook-id'),
          timestamp: c.req.header('webhook-timestamp'),
          signature: c.req.header('webhook-signature'),
        },
        body,
        Math.floor(Date.now() / 1000),
      );
      received.push({ event, status: 204 });
      return c.body(null, 204);
    } catch {
      received.push({ event: null, status: 401 });
      return c.json({ error: 'bad signature' }, 401);
    }
  });
  receiver = await serveApp(app, 0);
  running = await startCardSandbox({
    port: 0,
    apiKey: developmentApiKey,
    webhookSecret: developmentWebhookSecret,
    webhookUrl: `${receiver.url}/hook`,
  });
  provider = createHttpCardProvider({
    baseUrl: running.url,
    apiKey: developmentApiKey,
    webhookSecret: developmentWebhookSecret,
    timeoutMs: 2_000,
    attemptsMax: 3,
    backoffMsMax: 10,
  });
});
afterAll(async () => {
  await running.close();
  await receiver.close();
});

const usd = (minor: bigint) => moneyFromMinor(minor, USD);
const simulate = async (path: string, body: Record<string, unknown>) => {
  const response = await fetch(`${running.url}/v1/simulate/${path}`, {
    method: 'POST',
    headers: { authorization: developmentApiKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; result: string; event_id: string };
};
const admin = (path: string, method: string, body?: unknown) =>
  fetch(`${running.url}/admin/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function fundedCard(minor: bigint) {
  const card = await provider.createCard({ idempotencyKey: `crd_${crypto.randomUUID()}` });
  await provider.loadCard({
    cardToken: card.token,
    amount: usd(minor),
    idempotencyKey: `load:${crypto.randomUUID()}`,
  });
  return card.token;
}

describe('card sandbox through the HTTP adapter', () => {
  it('creates a card once per idempotency key, and refuses the key for a different card', async () => {
    const first = await provider.createCard({ idempotencyKey: 'crd_same-key', memo: 'a' });
    const again = await provider.createCard({ idempotencyKey: 'crd_same-key', memo: 'a' });
    expect(again.token).toBe(first.token);
    expect(first).toMatchObject({ state: 'OPEN', type: 'VIRTUAL' });
    await expect(provider.createCard({ idempotencyKey: 'crd_same-key', memo: 'b' })).rejects.toMatchObject({
      kind: 'not_retryable',
      reason: 'idempotency_key_reused',
    });
  });

  it('loads once per key, finds a load by its key, and refuses loads to a closed card', async () => {
    const card = await provider.createCard({ idempotencyKey: `crd_${crypto.randomUUID()}` });
    const load = await provider.loadCard({
      cardToken: card.token,
      amount: usd(2_500n),
      idempotencyKey: 'load:once',
    });
    const repeat = await provider.loadCard({
      cardToken: card.token,
      amount: usd(2_500n),
      idempotencyKey: 'load:once',
    });
    expect(repeat.token).toBe(load.token);
    expect((await provider.getCard(card.token)).balance.available.minor).toBe(2_500n);
    expect((await provider.findLoad('load:once'))?.token).toBe(load.token);
    expect(await provider.findLoad('load:never')).toBeNull();
    await provider.closeCard(card.token);
    await expect(
      provider.loadCard({ cardToken: card.token, amount: usd(1n), idempotencyKey: 'load:closed' }),
    ).rejects.toMatchObject({ kind: 'not_retryable', reason: 'card_closed' });
    await expect(provider.resumeCard(card.token)).rejects.toMatchObject({ reason: 'card_closed' });
  });

  it('moves balances as each simulate kind says, and declines beyond the available balance', async () => {
    const cardToken = await fundedCard(10_000n);
    const auth = await simulate('authorize', {
      card_token: cardToken,
      amount: '4000',
      descriptor: 'HOTEL',
      mcc: '7011',
    });
    expect(auth.result).toBe('APPROVED');
    expect((await provider.getCard(cardToken)).balance).toMatchObject({
      available: usd(6_000n),
      pending: usd(4_000n),
      settled: usd(10_000n),
    });
    expect(
      (await simulate('authorize', { card_token: cardToken, amount: '6001', descriptor: 'X' })).result,
    ).toBe('INSUFFICIENT_FUNDS');
    await simulate('authorization_advice', { token: auth.token, amount: '5000' });
    await simulate('clearing', { token: auth.token, amount: '3000' });
    await simulate('clearing', { token: auth.token, amount: '2500' }); // more than is left on hold
    const returned = await simulate('return', { card_token: cardToken, amount: '700', descriptor: 'REFUND' });
    await simulate('return_reversal', { token: returned.token });
    await simulate('force_post', { card_token: cardToken, amount: '9000', descriptor: 'LATE' });
    const balance = (await provider.getCard(cardToken)).balance;
    // 10000 − 5500 cleared − 9000 forced + 700 − 700 = −4500: a force post may take the card below zero.
    expect(balance).toMatchObject({ settled: usd(-4_500n), pending: usd(0n), available: usd(-4_500n) });
    const transactions = await provider.listTransactions(cardToken);
    expect(transactions.map((txn) => txn.status)).toEqual(['SETTLED', 'DECLINED', 'SETTLED', 'SETTLED']);
  });

  it('sends signed webhooks, in order per transaction, that the adapter turns into normalized events', async () => {
    const cardToken = await fundedCard(5_000n);
    received.length = 0;
    const auth = await simulate('authorize', {
      card_token: cardToken,
      amount: '1200',
      descriptor: 'CAFE',
      mcc: '5812',
    });
    await simulate('clearing', { token: auth.token });
    await running.sandbox.webhooks.idle();
    expect(
      received.map((item) => [item.status, item.event?.kind, item.event?.sequence, item.event?.amountMinor]),
    ).toEqual([
      [204, 'AUTHORIZATION', 1, '1200'],
      [204, 'CLEARING', 2, '1200'],
    ]);
    expect(received[0]?.event).toMatchObject({
      providerTransactionId: auth.token,
      cardToken,
      mcc: '5812',
      currency: 'USD',
    });
  });

  it('injects faults: failures without effect, lost load responses, duplicates, held and reversed, bad signatures', async () => {
    const cardToken = await fundedCard(5_000n);
    // A 503 on the next two requests: the adapter's retries (same key) get through, and the card is loaded once.
    await admin('faults', 'POST', { failNext: 2 });
    await provider.loadCard({ cardToken, amount: usd(100n), idempotencyKey: 'load:after-503' });
    expect((await provider.getCard(cardToken)).balance.settled.minor).toBe(5_100n);

    // The load happens but its response is lost: ambiguous for the client, found by its key, loaded once.
    const lossy = createHttpCardProvider({ baseUrl: running.url, apiKey: developmentApiKey, attemptsMax: 1 });
    await admin('faults', 'POST', { loseLoadResponseNext: 1 });
    const error = await lossy
      .loadCard({ cardToken, amount: usd(300n), idempotencyKey: 'load:lost' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CardProviderError);
    expect((error as CardProviderError).kind).toBe('ambiguous');
    expect((await provider.findLoad('load:lost'))?.amount).toEqual(usd(300n));
    await provider.loadCard({ cardToken, amount: usd(300n), idempotencyKey: 'load:lost' });
    expect((await provider.getCard(cardToken)).balance.settled.minor).toBe(5_400n);

    received.length = 0;
    await admin('faults', 'POST', { duplicateWebhooks: true, holdWebhooks: true, badSignatureNext: 1 });
    const auth = await simulate('authorize', { card_token: cardToken, amount: '500', descriptor: 'SHOP' });
    await simulate('void', { token: auth.token, type: 'AUTHORIZATION_REVERSAL' });
    await running.sandbox.webhooks.idle();
    expect(received).toHaveLength(0); // held
    const release = await admin('webhooks/release', 'POST', { order: 'reverse' });
    expect(await release.json()).toEqual({ released: 2 });
    await admin('faults', 'DELETE');
    const accepted = received.filter((item) => item.status === 204).map((item) => item.event?.kind);
    // Released in reverse (the reversal arrives before its authorization), each delivered twice; the first delivery
    // was signed with a wrong secret (401) and then retried correctly.
    expect(accepted[0]).toBe('AUTHORIZATION_REVERSAL');
    expect([...accepted].sort()).toEqual([
      'AUTHORIZATION',
      'AUTHORIZATION',
      'AUTHORIZATION_REVERSAL',
      'AUTHORIZATION_REVERSAL',
    ]);
    expect(received.filter((item) => item.status === 401)).toHaveLength(1);
  });

  it('refuses a wrong API key, an amount sent as a JSON number and an oversized body', async () => {
    const wrongKey = await fetch(`${running.url}/v1/cards/card_x`, { headers: { authorization: 'nope' } });
    expect(wrongKey.status).toBe(401);
    const cardToken = await fundedCard(100n);
    const numberAmount = await fetch(`${running.url}/v1/cards/${cardToken}/loads`, {
      method: 'POST',
      headers: {
        authorization: developmentApiKey,
        'content-type': 'application/json',
        'idempotency-key': 'load:n',
      },
      body: JSON.stringify({ amount: 100, currency: 'USD' }),
    });
    expect(numberAmount.status).toBe(400);
    expect(await numberAmount.json()).toMatchObject({ error: 'invalid_amount' });
    const huge = await fetch(`${running.url}/v1/simulate/authorize`, {
      method: 'POST',
      headers: { authorization: developmentApiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ card_token: cardToken, amount: '1', descriptor: 'x'.repeat(70_000) }),
    });
    expect(huge.status).toBe(413);
    expect((await provider.getCard(cardToken)).balance.settled.minor).toBe(100n);
  });
});
