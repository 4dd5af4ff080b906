// Proves GET /v1/me and the Telegram sign-in in front of it: a correctly signed initData (no query_id needed) signs
// the user in, creating one Cardgate user whose id stays the same on later requests; prices and limits come as
// decimal strings with their asset. Forged, expired, future-dated, malformed and missing initData are 401
// problem+json and create no user.
import { describe, expect, it } from 'vitest';
import { sql } from '@cardgate/db';
import { z } from 'zod';
import { bodyOf, testBotToken, tmaHeader, useTestApi } from '../../testing.ts';

const api = useTestApi();

async function userCount(): Promise<number> {
  return api.database.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`select count(*)::int4 as n from app_user`,
  );
}

describe('GET /v1/me', () => {
  it('signs the user in and answers the user, limits and prices', async () => {
    const first = await api.app.request('/v1/me', {
      headers: { authorization: tmaHeader({ id: 501, firstName: 'Ann' }) },
    });
    expect(first.status).toBe(200);
    const body = await bodyOf(first);
    expect(body.user).toMatchObject({ firstName: 'Ann', telegramUserId: '501' });
    expect(body.user.id).toMatch(/^usr_[a-z2-7]{16}$/);
    expect(body.prices.cardIssueFee).toEqual({ amount: '2.000000', asset: 'USDT' });
    expect(body.prices.depositMinimum).toEqual({ amount: '5.000000', asset: 'USDT' });
    expect(body.limits.perLoad).toEqual({ amount: '500.00', asset: 'USD' });
    const again = await api.app.request('/v1/me', {
      headers: {
        authorization: tmaHeader({ id: 501, firstName: 'Ann' }, { authDate: new Date(Date.now() - 5_000) }),
      },
    });
    expect((await bodyOf(again)).user.id).toBe(body.user.id);
  });

  it('refuses forged, expired, future, malformed and missing initData with 401 and creates nobody', async () => {
    const before = await userCount();
    const cases: Array<[string, string | undefined, string]> = [
      [
        'other bot token',
        tmaHeader({ id: 502 }, { botToken: '7000000002:AAFsomeoneElsesToken000000000000000001' }),
        'init_data_forged',
      ],
      [
        'expired',
        tmaHeader({ id: 502 }, { authDate: new Date(Date.now() - 2 * 3600_000) }),
        'init_data_expired',
      ],
      [
        'future',
        tmaHeader({ id: 502 }, { authDate: new Date(Date.now() + 3600_000) }),
        'init_data_from_future',
      ],
      ['tampered user', tmaHeader({ id: 502 }).replace('502', '503'), 'init_data_forged'],
      ['no hash', 'tma auth_date=1700000000&user=%7B%22id%22%3A502%7D', 'init_data_unsigned'],
      ['not tma', `Bearer ${testBotToken}`, 'missing_credentials'],
      ['missing', undefined, 'missing_credentials'],
    ];
    for (const [label, authorization, reason] of cases) {
      const response = await api.app.request('/v1/me', { headers: authorization ? { authorization } : {} });
      expect(response.status, label).toBe(401);
      expect(response.headers.get('content-type'), label).toBe('application/problem+json');
      expect((await bodyOf(response)).reason, label).toBe(reason);
    }
    expect(await userCount()).toBe(before);
  });

  it('accepts initData with a query_id as well as without one', async () => {
    const response = await api.app.request('/v1/me', {
      headers: { authorization: tmaHeader({ id: 504 }, { queryId: 'AAHdF6IQAAAAAN0XohDhrOrc' }) },
    });
    expect(response.status).toBe(200);
  });
});
