// Proves GET /v1/balances: a signed-in user with no money sees a zero USDT wallet and no cards; after a deposit, a
// card fee pending and an issued card holding a load and an authorization, the wallet and the card answer posted,
// pending and available as decimal strings with their asset, never JSON numbers; another user's money is never in
// the answer; without initData it is a 401 problem+json.
import { describe, expect, it } from 'vitest';
import { createCardStore } from '@cardgate/card-store';
import { chart } from '@cardgate/domain';
import { createLedger } from '@cardgate/ledger';
import { parseMoney, USD, USDT, type Money } from '@cardgate/money';
import { uniqueSuffix } from '@cardgate/test-harness';
import { bodyOf, tmaHeader, useTestApi } from '../../testing.ts';

const api = useTestApi();

async function signIn(telegramId: number): Promise<{ id: string; authorization: string }> {
  const authorization = tmaHeader({ id: telegramId });
  const me = await bodyOf(await api.app.request('/v1/me', { headers: { authorization } }));
  return { id: me.user.id as string, authorization };
}

describe('GET /v1/balances', () => {
  it('answers a zero wallet and no cards for a new user', async () => {
    const { authorization } = await signIn(601);
    const response = await api.app.request('/v1/balances', { headers: { authorization } });
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toEqual({
      wallet: {
        posted: { amount: '0.000000', asset: 'USDT' },
        pending: { amount: '0.000000', asset: 'USDT' },
        available: { amount: '0.000000', asset: 'USDT' },
      },
      cards: [],
    });
  });

  it('answers the wallet and each card from the ledger, and only the caller’s', async () => {
    const ledger = createLedger({ pool: api.database.pool });
    const alice = await signIn(602);
    const bob = await signIn(603);
    const [treasury, wallet, fees, prefund, bobWallet] = await ledger.createAccounts([
      chart.treasury,
      chart.wallet(alice.id),
      chart.cardIssueFees,
      chart.providerPrefund,
      chart.wallet(bob.id),
    ]);
    const cardId = `crd_${uniqueSuffix()}${uniqueSuffix()}`;
    const cards = createCardStore(api.database.pool).cards;
    await cards.beginIssue({ cardId, userId: alice.id });
    const [cardAccount] = await ledger.createAccounts([chart.card(cardId, alice.id)]);
    await cards.open({
      cardId,
      userId: alice.id,
      providerToken: `card_${uniqueSuffix()}`,
      ledgerAccountId: cardAccount!.id,
      autoLoad: true,
    });
    const move = (type: 'posted' | 'pending', debit: bigint, credit: bigint, amount: Money) =>
      ledger.transfer({
        type,
        id: `test:${uniqueSuffix()}`,
        code: 'test',
        debitAccountId: debit,
        creditAccountId: credit,
        amount,
      });
    await move('posted', treasury!.id, wallet!.id, parseMoney('25.5', USDT));
    await move('pending', wallet!.id, fees!.id, parseMoney('2', USDT));
    await move('posted', treasury!.id, bobWallet!.id, parseMoney('1000', USDT));
    await move('posted', prefund!.id, cardAccount!.id, parseMoney('10', USD));
    await move('pending', cardAccount!.id, prefund!.id, parseMoney('2.5', USD));

    const response = await api.app.request('/v1/balances', {
      headers: { authorization: alice.authorization },
    });
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toEqual({
      wallet: {
        posted: { amount: '25.500000', asset: 'USDT' },
        pending: { amount: '-2.000000', asset: 'USDT' },
        available: { amount: '23.500000', asset: 'USDT' },
      },
      cards: [
        {
          cardId,
          state: 'open',
          autoLoad: true,
          posted: { amount: '10.00', asset: 'USD' },
          pending: { amount: '-2.50', asset: 'USD' },
          available: { amount: '7.50', asset: 'USD' },
        },
      ],
    });
    const bobs = await bodyOf(
      await api.app.request('/v1/balances', { headers: { authorization: bob.authorization } }),
    );
    expect(bobs.wallet.posted).toEqual({ amount: '1000.000000', asset: 'USDT' });
    expect(bobs.cards).toEqual([]);
  });

  it('refuses a request without initData with a 401 problem', async () => {
    const response = await api.app.request('/v1/balances');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});
