// Proves the operators' routes under /v1/ops on the real PostgreSQL, Redis and Temporal: no or a bad bearer token is a
// 401; a read token may look and list but an operate action is a 403, recorded in the audit as refused under the
// action and target it tried; a user is found by id, @username and Telegram id with their balances (decimal strings),
// deposits and cards; an unknown user, deposit, flow or card is a 404 and a malformed deposit a 422, each audited
// with the request id; held deposits are listed from the ledger; the ledger verify answers; a freeze answers 503 until
// the card state workflow exists; money-moving POSTs need an Idempotency-Key. (Approving a deposit held by the real
// deposit workflow, and retrying a stopped compensation, are proved across services in test/ops-actions.test.ts.)
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { chart } from '@cardgate/domain';
import { createLedger } from '@cardgate/ledger';
import { parseMoney, USDT } from '@cardgate/money';
import { createOperatorAudit, createOperatorTokens, type OperatorScope } from '@cardgate/operators';
import { bodyOf, tmaHeader, useTestApi } from '../../testing.ts';

const api = useTestApi();
const noRows = z.object({});

async function tokenWith(scopes: OperatorScope[]) {
  const { token, info } = await createOperatorTokens(api.database.pool).create({
    name: `test-${scopes.join('-')}`,
    scopes,
    lifetimeMs: 3_600_000,
  });
  return { authorization: `Bearer ${token}`, tokenId: info.tokenId };
}

async function auditOf(target: string) {
  return createOperatorAudit(api.database.pool).recent({ target, limit: 10 });
}

/** A user signed in through the Mini App, with a USDT wallet holding `usdt` and a held deposit of 1 USDT. */
async function userWithMoney(telegramId: number, username: string, usdt: string) {
  const me = await bodyOf(
    await api.app.request('/v1/me', { headers: { authorization: tmaHeader({ id: telegramId, username }) } }),
  );
  const userId: string = me.user.id;
  const ledger = createLedger({ pool: api.database.pool });
  const [treasury, wallet] = await ledger.createAccounts([chart.treasury, chart.wallet(userId)]);
  const txId = `${telegramId.toString(16)}`.padStart(64, 'a');
  await ledger.submit([
    {
      type: 'posted',
      id: `deposit:${txId}:0`,
      code: 'deposit',
      debitAccountId: treasury!.id,
      creditAccountId: wallet!.id,
      amount: parseMoney(usdt, USDT),
      metadata: { txId, logIndex: 0, userId },
    },
    {
      type: 'pending',
      id: `deposit:${txId}:1`,
      code: 'deposit_review',
      debitAccountId: treasury!.id,
      creditAccountId: wallet!.id,
      amount: parseMoney('1', USDT),
      metadata: { txId, logIndex: 1, userId },
    },
  ]);
  await api.database.pool.query(sql.type(noRows)`
    insert into card (id, user_id) values (${`crd_test${telegramId}`}, ${userId})`);
  return { userId, txId };
}

describe('operator authentication and scopes', () => {
  it('answers 401 without a token or with a bad one, and 403 with the refusal audited for a token lacking the scope', async () => {
    for (const headers of [{}, { authorization: 'Bearer cgo_nope' }, { authorization: 'tma x' }]) {
      const response = await api.app.request('/v1/ops/ledger/verify', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    const reader = await tokenWith(['read']);
    const txId = 'f'.repeat(64);
    const refused = await api.app.request(`/v1/ops/deposits/${txId}:0/approve`, {
      method: 'POST',
      headers: { authorization: reader.authorization, 'idempotency-key': 'k-403' },
    });
    expect(refused.status).toBe(403);
    expect((await bodyOf(refused)).reason).toBe('missing_scope');
    const [entry] = await auditOf(`deposit:${txId}:0`);
    expect(entry).toMatchObject({
      actor: reader.tokenId,
      action: 'deposit.approve',
      result: 'refused',
      requestId: refused.headers.get('x-request-id'),
      detail: { reason: 'missing_scope' },
    });
    // The read scope reads.
    const verify = await api.app.request('/v1/ops/ledger/verify', {
      headers: { authorization: reader.authorization },
    });
    expect(verify.status).toBe(200);
    expect(await bodyOf(verify)).toMatchObject({ ok: true, problems: [] });
    expect((await auditOf('ledger'))[0]).toMatchObject({ action: 'ledger.verify', result: 'ok' });
  });
});

describe('looking a user up', () => {
  it('finds the user by id, @username and Telegram id, with balances, deposits and cards', async () => {
    const { userId, txId } = await userWithMoney(90_001, 'opsAlice', '25.5');
    const reader = await tokenWith(['read']);
    for (const query of [userId, '@opsalice', '90001']) {
      const response = await api.app.request(`/v1/ops/users?query=${encodeURIComponent(query)}`, {
        headers: { authorization: reader.authorization },
      });
      expect(response.status, query).toBe(200);
      const [found] = (await bodyOf(response)).users;
      expect(found.user).toMatchObject({ id: userId, telegramUserId: '90001', username: 'opsAlice' });
      expect(found.balances).toEqual([
        {
          account: `user:${userId}:wallet:USDT`,
          posted: { amount: '25.500000', asset: 'USDT' },
          pending: { amount: '1.000000', asset: 'USDT' },
          available: { amount: '25.500000', asset: 'USDT' },
        },
      ]);
      expect(found.deposits).toEqual([
        expect.objectContaining({
          deposit: `${txId}:1`,
          state: 'held_for_review',
          amount: { amount: '1.000000', asset: 'USDT' },
        }),
        expect.objectContaining({ deposit: `${txId}:0`, state: 'credited' }),
      ]);
      expect(found.cards).toEqual([{ cardId: 'crd_test90001', state: 'issuing', providerToken: null }]);
    }
    const audit = await auditOf('user:@opsalice');
    expect(audit[0]).toMatchObject({
      actor: reader.tokenId,
      action: 'user.look_up',
      result: 'ok',
      detail: { users: 1 },
    });
  });

  it('answers 404 for nobody, audited as refused', async () => {
    const reader = await tokenWith(['read']);
    const response = await api.app.request('/v1/ops/users?query=%40nobody_here', {
      headers: { authorization: reader.authorization },
    });
    expect(response.status).toBe(404);
    expect((await bodyOf(response)).reason).toBe('user_not_found');
    expect((await auditOf('user:@nobody_here'))[0]).toMatchObject({
      result: 'refused',
      detail: { reason: 'user_not_found' },
      requestId: response.headers.get('x-request-id'),
    });
  });
});

describe('held deposits and flows', () => {
  it('lists held deposits from the ledger, pages them, and refuses unknown, credited and malformed ones', async () => {
    const first = await userWithMoney(90_002, 'opsBob', '10');
    const second = await userWithMoney(90_003, 'opsCarol', '10');
    const reader = await tokenWith(['read']);
    const page = await bodyOf(
      await api.app.request('/v1/ops/deposits/held?limit=1', {
        headers: { authorization: reader.authorization },
      }),
    );
    const next = await bodyOf(
      await api.app.request(`/v1/ops/deposits/held?limit=50&cursor=${page.nextCursor}`, {
        headers: { authorization: reader.authorization },
      }),
    );
    const listed = [...page.items, ...next.items].map((item: { deposit: string }) => item.deposit);
    expect(listed).toEqual(expect.arrayContaining([`${first.txId}:1`, `${second.txId}:1`]));
    expect(listed).not.toContain(`${first.txId}:0`);
    expect(page.items[0]).toMatchObject({ amount: { amount: '1.000000', asset: 'USDT' } });

    const operator = await tokenWith(['operate']);
    const post = (path: string, key: string) =>
      api.app.request(path, {
        method: 'POST',
        headers: { authorization: operator.authorization, 'idempotency-key': key },
      });
    const unknown = await post(`/v1/ops/deposits/${'e'.repeat(64)}:0/approve`, 'k-unknown');
    expect(unknown.status).toBe(404);
    expect((await bodyOf(unknown)).reason).toBe('deposit_not_found');
    const credited = await post(`/v1/ops/deposits/${first.txId}:0/reject`, 'k-credited');
    expect(credited.status).toBe(409);
    expect((await bodyOf(credited)).reason).toBe('deposit_not_held');
    const malformed = await post('/v1/ops/deposits/not-a-deposit/approve', 'k-malformed');
    expect(malformed.status).toBe(422);
    expect((await auditOf('deposit:not-a-deposit'))[0]).toMatchObject({
      actor: operator.tokenId,
      action: 'deposit.approve',
      result: 'refused',
      detail: { reason: 'invalid_deposit' },
    });
    // Held in the ledger but no deposit flow runs for it here: a 404 from Temporal, nothing moved.
    const noFlow = await post(`/v1/ops/deposits/${first.txId}:1/approve`, 'k-noflow');
    expect(noFlow.status).toBe(404);
    expect((await bodyOf(noFlow)).reason).toBe('flow_not_found');
    const missingKey = await api.app.request(`/v1/ops/deposits/${first.txId}:1/approve`, {
      method: 'POST',
      headers: { authorization: operator.authorization },
    });
    expect(missingKey.status).toBe(400);
  });

  it('lists no waiting flows on an idle queue, and refuses actions on flows that do not exist or are not operator flows', async () => {
    const operator = await tokenWith(['operate']);
    const waiting = await api.app.request('/v1/ops/flows/waiting', {
      headers: { authorization: operator.authorization },
    });
    expect(waiting.status).toBe(200);
    expect(await bodyOf(waiting)).toEqual({ flows: [], scanned: 0, truncated: false, unanswered: [] });
    const post = (path: string, key: string, body?: unknown) =>
      api.app.request(path, {
        method: 'POST',
        headers: {
          authorization: operator.authorization,
          'idempotency-key': key,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const load = await post('/v1/ops/card-loads/no-such-load/resolve', 'k-load', { outcome: 'not_loaded' });
    expect(load.status).toBe(404);
    expect((await auditOf('card_load:no-such-load'))[0]).toMatchObject({
      action: 'card_load.resolve',
      result: 'refused',
      detail: { reason: 'flow_not_found' },
    });
    const badBody = await post('/v1/ops/card-loads/no-such-load/resolve', 'k-load-2', { outcome: 'loaded' });
    expect(badBody.status).toBe(422);
    expect((await post('/v1/ops/card-issues/crd_nosuchcard/retry', 'k-issue')).status).toBe(404);
    const notOperatorFlow = await post('/v1/ops/flows/deposit-abc-0/retry-compensation', 'k-comp');
    expect(notOperatorFlow.status).toBe(422);
    expect((await bodyOf(notOperatorFlow)).reason).toBe('not_an_operator_flow');
  });
});

describe('card freeze', () => {
  it('answers 404 for an unknown card, 409 for one not open, and starts the card state workflow for an open one, all audited', async () => {
    const { userId } = await userWithMoney(90_004, 'opsDan', '3');
    expect(userId).toMatch(/^usr_/);
    const operator = await tokenWith(['operate']);
    const freeze = (cardId: string, key: string) =>
      api.app.request(`/v1/ops/cards/${cardId}/freeze`, {
        method: 'POST',
        headers: { authorization: operator.authorization, 'idempotency-key': key },
      });
    const unknown = await freeze('crd_unknowncard', 'k-f1');
    expect(unknown.status).toBe(404);
    const issuing = await freeze('crd_test90004', 'k-f2');
    expect(issuing.status).toBe(409);
    expect((await bodyOf(issuing)).reason).toBe('card_not_open');
    expect((await auditOf('card:crd_test90004'))[0]).toMatchObject({
      action: 'card.freeze',
      result: 'refused',
    });
    await api.database.pool.query(sql.type(z.object({}))`
      update card set state = 'OPEN', provider_token = 'card_ops90004' where id = 'crd_test90004'`);
    const open = await freeze('crd_test90004', 'k-f3');
    expect(open.status).toBe(200);
    const body = await bodyOf(open);
    expect(body).toMatchObject({ cardId: 'crd_test90004', requestedState: 'PAUSED' });
    const started = await api.dependencies.temporal.client.workflow
      .getHandle(String(body.workflowId))
      .describe();
    expect(started.type).toBe('cardStateWorkflow');
    expect((await auditOf('card:crd_test90004'))[0]).toMatchObject({ action: 'card.freeze', result: 'ok' });
  });
});
