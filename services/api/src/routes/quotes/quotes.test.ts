// Proves POST /v1/quotes: a quote for the user's card states the rate, spread, fee, gross and USD received exactly as
// the domain's quoteCardLoad computes them, is stored, and expires after the configured lifetime; an amount as a JSON
// number, a malformed or too small amount, another user's or a missing card (404), a card still issuing (409) and an
// amount over a program limit (422 naming the limit and what is left) are refused, storing nothing.
import { describe, expect, it } from 'vitest';
import { createCardStore } from '@cardgate/card-store';
import { sql } from '@cardgate/db';
import { derivedId } from '@cardgate/ids';
import { quoteCardLoad } from '@cardgate/domain';
import { parseMoney, USD, USDT } from '@cardgate/money';
import { uniqueSuffix } from '@cardgate/test-harness';
import { z } from 'zod';
import { bodyOf, testProductSettings, useTestApi } from '../../testing.ts';
import { issuedCard, jsonRequest, signIn } from '../cards/cards.testing.ts';

// The app's clock, fixed (Telegram's initData check runs on the real clock, so it stays the real time of the run).
const fixedNow = new Date(Math.floor(Date.now() / 1000) * 1000);
const api = useTestApi({
  now: () => fixedNow,
  settings: {
    limits: {
      perLoad: parseMoney('50', USD),
      perDay: parseMoney('80', USD),
      perMonth: parseMoney('100', USD),
      cardBalanceMax: parseMoney('120', USD),
    },
  },
});

async function quoteCount(userId: string): Promise<number> {
  return api.database.pool.oneFirst(
    sql.type(
      z.object({ n: z.number() }),
    )`select count(*)::int4 as n from card_quote where user_id = ${userId}`,
  );
}

describe('POST /v1/quotes', () => {
  it('quotes a load as the domain computes it, stores it, and says until when it holds', async () => {
    const { userId, authorization } = await signIn(api.app, 2001, fixedNow);
    const { cardId } = await issuedCard(api.database.pool, userId);
    const response = await api.app.request(
      '/v1/quotes',
      jsonRequest(authorization, { cardId, amount: '40.5' }),
    );
    expect(response.status).toBe(201);
    const quote = await bodyOf(response);
    const expected = quoteCardLoad(parseMoney('40.5', USDT), testProductSettings.prices.fx, fixedNow);
    expect(quote).toEqual({
      id: expect.stringMatching(/^qt_[a-z2-7]{16}$/),
      cardId,
      amount: { amount: '40.500000', asset: 'USDT' },
      rate: '0.9995',
      spreadBasisPoints: '150',
      gross: { amount: '40.47', asset: 'USD' },
      spread: { amount: '0.61', asset: 'USD' },
      fee: { amount: '0.00', asset: 'USD' },
      received: { amount: '39.86', asset: 'USD' },
      quotedAt: fixedNow.toISOString(),
      expiresAt: new Date(fixedNow.getTime() + 60_000).toISOString(),
    });
    expect(expected.net.minor).toBe(3986n);
    expect(expected.spread.minor).toBe(61n);
    const stored = await createCardStore(api.database.pool).quotes.ofUser(userId, String(quote.id));
    expect(stored?.quote).toEqual(expected);
  });

  it('refuses bad amounts, cards not the user’s or not issued, and amounts over a limit, storing nothing', async () => {
    const { userId, authorization } = await signIn(api.app, 2002, fixedNow);
    const owner = await signIn(api.app, 2003, fixedNow);
    const { cardId } = await issuedCard(api.database.pool, userId);
    const othersCard = await issuedCard(api.database.pool, owner.userId);
    const issuing = derivedId('crd', 'test', uniqueSuffix());
    await createCardStore(api.database.pool).cards.beginIssue({ cardId: issuing, userId });
    const cases: Array<[string, unknown, number, string]> = [
      ['JSON number', { cardId, amount: 25 }, 422, 'validation_failed'],
      ['exponent', { cardId, amount: '1e3' }, 422, 'validation_failed'],
      ['too many decimals', { cardId, amount: '1.0000001' }, 422, 'validation_failed'],
      ['negative', { cardId, amount: '-5' }, 422, 'validation_failed'],
      ['too small to load', { cardId, amount: '0.000001' }, 422, 'amount_too_small'],
      ['extra field', { cardId, amount: '5', rate: '2' }, 422, 'validation_failed'],
      ["another user's card", { cardId: othersCard.cardId, amount: '5' }, 404, 'card_not_found'],
      ['missing card', { cardId: 'crd_nothingnothing00', amount: '5' }, 404, 'card_not_found'],
      ['issuing card', { cardId: issuing, amount: '5' }, 409, 'card_not_open'],
      ['over the per-load limit', { cardId, amount: '60' }, 422, 'limit_exceeded'],
    ];
    for (const [label, body, status, reason] of cases) {
      const response = await api.app.request('/v1/quotes', jsonRequest(authorization, body));
      expect(response.status, label).toBe(status);
      expect(response.headers.get('content-type'), label).toBe('application/problem+json');
      expect((await bodyOf(response)).reason, label).toBe(reason);
    }
    const overLimit = await bodyOf(
      await api.app.request('/v1/quotes', jsonRequest(authorization, { cardId, amount: '60' })),
    );
    expect(overLimit.details).toEqual({ limit: 'perLoad', remaining: '50.00', asset: 'USD' });
    expect(await quoteCount(userId)).toBe(0);
  });
});
