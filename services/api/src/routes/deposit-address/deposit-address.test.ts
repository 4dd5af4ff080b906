// Proves GET /v1/deposit-address: the first call creates the user's TRON address and every later call answers the
// same one; two users get two addresses; the answer names the network, the token standard and contract, the minimum
// deposit (a decimal string) and what happens below it, in English or Russian by the user's language, and carries
// the address as an SVG QR code; without initData it is a 401 and creates no address. The catalogue has the same keys
// and placeholders in both languages.
import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { placeholdersOf } from '../../lib/user-language.ts';
import { bodyOf, tmaHeader, useTestApi } from '../../testing.ts';
import { depositAddressTexts } from './deposit-address.texts.ts';

const api = useTestApi();

async function addressCount(): Promise<number> {
  return api.database.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`select count(*)::int4 as n from deposit_address`,
  );
}

describe('GET /v1/deposit-address', () => {
  it('creates the address once and answers the same one after, with what it accepts and its QR code', async () => {
    const authorization = tmaHeader({ id: 701, languageCode: 'en' });
    const first = await api.app.request('/v1/deposit-address', { headers: { authorization } });
    expect(first.status).toBe(200);
    const body = await bodyOf(first);
    expect(body).toMatchObject({
      network: 'TRON',
      tokenStandard: 'TRC-20',
      token: { symbol: 'USDT', contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
      minimumDeposit: { amount: '5.000000', asset: 'USDT' },
      belowMinimum: 'held_for_review',
    });
    expect(body.address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(body.notice).toContain('below 5 USDT are held for review');
    expect(body.qrCodeSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(body.qrCodeSvg).toBe(await QRCode.toString(body.address as string, { type: 'svg' }));

    const again = await bodyOf(await api.app.request('/v1/deposit-address', { headers: { authorization } }));
    expect(again.address).toBe(body.address);
    const other = await bodyOf(
      await api.app.request('/v1/deposit-address', {
        headers: { authorization: tmaHeader({ id: 702, languageCode: 'ru-RU' }) },
      }),
    );
    expect(other.address).not.toBe(body.address);
    expect(other.notice).toContain('меньше 5 USDT');
    expect(other.qrCodeSvg).not.toBe(body.qrCodeSvg);
  });

  it('refuses a request without initData with a 401 and creates no address', async () => {
    const before = await addressCount();
    const response = await api.app.request('/v1/deposit-address');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await addressCount()).toBe(before);
  });

  it('has the same keys and placeholders in English and Russian', () => {
    const { en, ru } = depositAddressTexts;
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ru[key].length, key).toBeGreaterThan(0);
      expect(placeholdersOf(ru[key]), key).toEqual(placeholdersOf(en[key]));
    }
  });
});
