// Proves the card routes on the real PostgreSQL, Redis and Temporal (no worker runs here: a started workflow stays
// started, which the tests read back from Temporal). POST /v1/cards records the card as issuing, starts the issue
// workflow once per Idempotency-Key and answers 202; a wallet that cannot pay the fee is 422 with nothing made; the
// key is required (400), a replay answers the same body with Idempotent-Replayed, the same key with another body is
// 422, a key still running is 409. Listing pages by cursor; a card shows state, last four, auto-load and its ledger
// balance; another user's card is 404 on every route, exactly like a missing one. Freeze and unfreeze record the
// request and start the card state workflow, one direction at a time (409 while the other is on its way). Auto-load is
// on for at most one card. The card's transactions come from its stored events, newest first, paged, declines named.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCardStore } from '@cardgate/card-store';
import { cardIssueWorkflowId, cardStateWorkflowId, type CardTransactionEvent } from '@cardgate/contracts';
import { sql } from '@cardgate/db';
import { derivedId } from '@cardgate/ids';
import { uniqueSuffix } from '@cardgate/test-harness';
import { z } from 'zod';
import { createIdempotencyStore } from '../../middleware/idempotency/idempotency-store.ts';
import { bodyOf, useTestApi } from '../../testing.ts';
import { fundWallet, issuedCard, jsonRequest, signIn } from './cards.testing.ts';

const api = useTestApi();

async function cardCount(userId: string): Promise<number> {
  return api.database.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`select count(*)::int4 as n from card where user_id = ${userId}`,
  );
}

describe('POST /v1/cards', () => {
  it('records the card as issuing, starts its issue workflow once, and replays the answer for the same key', async () => {
    const { userId, authorization } = await signIn(api.app, 1001);
    await fundWallet(api.database.pool, userId, '10');
    const key = `issue-${uniqueSuffix()}`;
    const first = await api.app.request('/v1/cards', jsonRequest(authorization, { autoLoad: true }, { key }));
    expect(first.status).toBe(202);
    const card = await bodyOf(first);
    expect(card).toMatchObject({
      state: 'issuing',
      stateChange: null,
      lastFour: null,
      autoLoad: false,
      balance: { posted: { amount: '0.00', asset: 'USD' }, available: { amount: '0.00', asset: 'USD' } },
    });
    expect(card.id).toBe(derivedId('crd', `user:${userId}`, key));
    const started = await api.dependencies.temporal.client.workflow
      .getHandle(cardIssueWorkflowId(String(card.id)))
      .describe();
    expect(started.type).toBe('cardIssueWorkflow');
    expect(started.taskQueue).toBe(api.dependencies.temporal.taskQueue);

    const replay = await api.app.request(
      '/v1/cards',
      jsonRequest(authorization, { autoLoad: true }, { key }),
    );
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await bodyOf(replay)).toEqual(card);
    expect(await cardCount(userId)).toBe(1);

    const reused = await api.app.request(
      '/v1/cards',
      jsonRequest(authorization, { autoLoad: false }, { key }),
    );
    expect(reused.status).toBe(422);
    expect((await bodyOf(reused)).reason).toBe('idempotency_key_reused');

    const read = await api.app.request(`/v1/cards/${card.id}`, { headers: { authorization } });
    expect(await bodyOf(read)).toEqual(card);
  });

  it('refuses without an Idempotency-Key (400), a wallet short of the fee (422), and a bad body (422), making nothing', async () => {
    const { userId, authorization } = await signIn(api.app, 1002);
    const missing = await api.app.request('/v1/cards', jsonRequest(authorization, {}));
    expect(missing.status).toBe(400);
    expect((await bodyOf(missing)).reason).toBe('idempotency_key_missing');
    await fundWallet(api.database.pool, userId, '1.999999');
    const poor = await api.app.request(
      '/v1/cards',
      jsonRequest(authorization, {}, { key: `poor-${uniqueSuffix()}` }),
    );
    expect(poor.status).toBe(422);
    expect(poor.headers.get('content-type')).toBe('application/problem+json');
    expect((await bodyOf(poor)).reason).toBe('insufficient_funds');
    const bad = await api.app.request(
      '/v1/cards',
      jsonRequest(authorization, { autoLoad: 'yes' }, { key: `bad-${uniqueSuffix()}` }),
    );
    expect(bad.status).toBe(422);
    expect((await bodyOf(bad)).details.field).toBe('json.autoLoad');
    expect(await cardCount(userId)).toBe(0);
  });

  it('answers 409 while a request with the same key is still running', async () => {
    const { userId, authorization } = await signIn(api.app, 1003);
    await fundWallet(api.database.pool, userId, '10');
    const key = `running-${uniqueSuffix()}`;
    const body = JSON.stringify({});
    // The first request holds the key (claimed, not completed), as one still running in another process would.
    const fingerprint = createHash('sha256').update(`POST\n/v1/cards\n${body}`).digest('hex');
    const store = createIdempotencyStore(api.database.pool, { retentionMs: 60_000, leaseMs: 60_000 });
    expect((await store.claim(`user:${userId}`, key, fingerprint)).kind).toBe('claimed');
    const second = await api.app.request('/v1/cards', jsonRequest(authorization, {}, { key }));
    expect(second.status).toBe(409);
    expect((await bodyOf(second)).reason).toBe('idempotency_key_in_use');
    expect(await cardCount(userId)).toBe(0);
  });
});

describe('GET /v1/cards and /v1/cards/{id}', () => {
  it('lists the user only their own cards, newest first, by pages', async () => {
    const { userId, authorization } = await signIn(api.app, 1010);
    const other = await signIn(api.app, 1011);
    const made = [];
    for (let index = 0; index < 3; index += 1) made.push(await issuedCard(api.database.pool, userId));
    await issuedCard(api.database.pool, other.userId);
    const first = await bodyOf(await api.app.request('/v1/cards?limit=2', { headers: { authorization } }));
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await bodyOf(
      await api.app.request(`/v1/cards?limit=2&cursor=${first.nextCursor}`, { headers: { authorization } }),
    );
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((card: { id: string }) => card.id);
    expect(ids.sort()).toEqual(made.map((card) => card.cardId).sort());
    expect(first.items[0]).toMatchObject({ state: 'open', lastFour: '4242' });

    const forged = await api.app.request('/v1/cards?cursor=bm90LWEtY3Vyc29y', { headers: { authorization } });
    expect(forged.status).toBe(422);
  });

  it("answers another user's card exactly like a missing one (404) on every card route", async () => {
    const owner = await signIn(api.app, 1020);
    const { authorization } = await signIn(api.app, 1021);
    const { cardId } = await issuedCard(api.database.pool, owner.userId);
    const key = () => ({ key: `k-${uniqueSuffix()}` });
    const attempts: Array<[string, RequestInit]> = [
      [`/v1/cards/${cardId}`, { headers: { authorization } }],
      [`/v1/cards/${cardId}/transactions`, { headers: { authorization } }],
      [`/v1/cards/${cardId}`, jsonRequest(authorization, { autoLoad: true }, { method: 'PATCH' })],
      [`/v1/cards/${cardId}/freeze`, jsonRequest(authorization, {}, key())],
      [`/v1/cards/${cardId}/unfreeze`, jsonRequest(authorization, {}, key())],
      [`/v1/cards/${cardId}/loads`, jsonRequest(authorization, { quoteId: 'qt_aaaaaaaaaaaaaaaa' }, key())],
      [`/v1/cards/crd_missingmissing00`, { headers: { authorization } }],
    ];
    for (const [path, init] of attempts) {
      const response = await api.app.request(path, init);
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(404);
      expect((await bodyOf(response)).reason, path).toBe('card_not_found');
    }
    const card = await createCardStore(api.database.pool).cards.byId(cardId);
    expect(card).toMatchObject({ autoLoad: false, requestedState: null, state: 'OPEN' });
  });
});

describe('freeze and unfreeze', () => {
  it('records the request, starts the card state workflow, and allows one direction at a time', async () => {
    const { userId, authorization } = await signIn(api.app, 1030);
    const { cardId } = await issuedCard(api.database.pool, userId);
    const key = `freeze-${uniqueSuffix()}`;
    const frozen = await api.app.request(
      `/v1/cards/${cardId}/freeze`,
      jsonRequest(authorization, {}, { key }),
    );
    expect(frozen.status).toBe(202);
    expect(await bodyOf(frozen)).toMatchObject({ id: cardId, state: 'open', stateChange: 'freezing' });
    const workflowId = cardStateWorkflowId(cardId, derivedId('req', `user:${userId}`, key));
    const described = await api.dependencies.temporal.client.workflow.getHandle(workflowId).describe();
    expect(described.type).toBe('cardStateWorkflow');

    const unfreeze = await api.app.request(
      `/v1/cards/${cardId}/unfreeze`,
      jsonRequest(authorization, {}, { key: `unfreeze-${uniqueSuffix()}` }),
    );
    expect(unfreeze.status).toBe(409);
    expect((await bodyOf(unfreeze)).reason).toBe('card_state_change_in_progress');

    // The workflow (not running here) would record the provider's answer: the card is then frozen, and may thaw.
    await createCardStore(api.database.pool).cards.recordState({ cardId, state: 'PAUSED' });
    const read = await bodyOf(await api.app.request(`/v1/cards/${cardId}`, { headers: { authorization } }));
    expect(read).toMatchObject({ state: 'frozen', stateChange: null });
    const thaw = await api.app.request(
      `/v1/cards/${cardId}/unfreeze`,
      jsonRequest(authorization, {}, { key: `unfreeze-${uniqueSuffix()}` }),
    );
    expect(thaw.status).toBe(202);
    expect(await bodyOf(thaw)).toMatchObject({ state: 'frozen', stateChange: 'unfreezing' });
  });

  it('refuses a card that is still issuing (409) and a request without a key (400)', async () => {
    const { userId, authorization } = await signIn(api.app, 1031);
    const cardId = derivedId('crd', 'test', uniqueSuffix());
    await createCardStore(api.database.pool).cards.beginIssue({ cardId, userId });
    const issuing = await api.app.request(
      `/v1/cards/${cardId}/freeze`,
      jsonRequest(authorization, {}, { key: `f-${uniqueSuffix()}` }),
    );
    expect(issuing.status).toBe(409);
    expect((await bodyOf(issuing)).reason).toBe('card_not_open');
    const keyless = await api.app.request(`/v1/cards/${cardId}/freeze`, jsonRequest(authorization, {}));
    expect(keyless.status).toBe(400);
  });
});

describe('PATCH /v1/cards/{id}', () => {
  it('turns auto-load on for one card at a time, and off', async () => {
    const { userId, authorization } = await signIn(api.app, 1040);
    const first = await issuedCard(api.database.pool, userId, { autoLoad: true });
    const second = await issuedCard(api.database.pool, userId);
    const patch = (cardId: string, body: unknown) =>
      api.app.request(`/v1/cards/${cardId}`, jsonRequest(authorization, body, { method: 'PATCH' }));
    const on = await patch(second.cardId, { autoLoad: true });
    expect(on.status).toBe(200);
    expect((await bodyOf(on)).autoLoad).toBe(true);
    const store = createCardStore(api.database.pool);
    expect((await store.cards.byId(first.cardId))?.autoLoad).toBe(false);
    expect(await store.cards.autoLoadCardOf(userId)).toBe(second.cardId);
    expect((await bodyOf(await patch(second.cardId, { autoLoad: false }))).autoLoad).toBe(false);
    expect(await store.cards.autoLoadCardOf(userId)).toBeNull();

    const bad = await patch(second.cardId, { autoLoad: 'on' });
    expect(bad.status).toBe(422);
    const extra = await patch(second.cardId, { autoLoad: true, state: 'CLOSED' });
    expect(extra.status).toBe(422);
    expect(await store.cards.autoLoadCardOf(userId)).toBeNull();
  });
});

describe('GET /v1/cards/{id}/transactions', () => {
  it("pages the card's stored events newest first, with amounts as money strings and declines named", async () => {
    const { userId, authorization } = await signIn(api.app, 1050);
    const { cardId, providerToken } = await issuedCard(api.database.pool, userId);
    const other = await issuedCard(api.database.pool, userId);
    const events = createCardStore(api.database.pool).events;
    const event = (
      kind: CardTransactionEvent['kind'],
      result: string,
      amountMinor: string,
      token = providerToken,
    ) => ({
      eventId: `evt_${uniqueSuffix()}`,
      kind,
      result,
      providerTransactionId: `txn_${uniqueSuffix()}`,
      cardToken: token,
      sequence: 1,
      amountMinor,
      currency: 'USD',
      merchantAmountMinor: '1100',
      merchantCurrency: 'EUR',
      mcc: '5812',
      descriptor: 'CAFE',
      occurredAt: new Date().toISOString(),
    });
    const stored = [
      event('AUTHORIZATION', 'APPROVED', '1250'),
      event('CLEARING', 'APPROVED', '1250'),
      event('AUTHORIZATION', 'CARD_PAUSED', '700'),
      event('RETURN', 'APPROVED', '300'),
    ];
    for (const each of stored) expect(await events.store(each)).toBe(true);
    await events.store(event('AUTHORIZATION', 'APPROVED', '999', other.providerToken));

    const first = await bodyOf(
      await api.app.request(`/v1/cards/${cardId}/transactions?limit=3`, { headers: { authorization } }),
    );
    expect((first.items as Array<{ category: string }>).map((item) => item.category)).toEqual([
      'refund',
      'decline',
      'clearing',
    ]);
    expect(first.items[1]).toMatchObject({
      result: 'CARD_PAUSED',
      amount: { amount: '7.00', asset: 'USD' },
      merchantAmount: { amount: '11.00', asset: 'EUR' },
      descriptor: 'CAFE',
    });
    const second = await bodyOf(
      await api.app.request(`/v1/cards/${cardId}/transactions?limit=3&cursor=${first.nextCursor}`, {
        headers: { authorization },
      }),
    );
    expect(second.items).toHaveLength(1);
    expect(second.items[0]).toMatchObject({
      category: 'authorization',
      amount: { amount: '12.50', asset: 'USD' },
    });
    expect(second.nextCursor).toBeNull();
  });
});
