// Proves GET /v1/transactions on the real PostgreSQL, with the ledger transfers the flows write (their ids and codes):
// one statement across the wallet and the card, newest first: a deposit and its fee, a deposit held for review
// (pending), the card issue fee (posted after it was pending: one line), a card load (money out of the wallet, into
// the card), a card authorization (pending), a card payment and a refund; a voided load is not a line; amounts are
// signed decimal strings with their asset; each line names its business object and is described in English or
// Russian by the user's language; pages neither lose nor repeat a line; another user's lines never appear; a bad
// cursor or limit is a 422 naming the field; no initData is a 401. The catalogue has identical keys in both languages.
import { beforeAll, describe, expect, it } from 'vitest';
import { cardIssueFeeTransferIds, chart, depositTransferIds } from '@cardgate/domain';
import { createCardStore } from '@cardgate/card-store';
import { createLedger, type TransferRequest } from '@cardgate/ledger';
import { moneyFromMinor, USD, USDT } from '@cardgate/money';
import { uniqueSuffix } from '@cardgate/test-harness';
import { encodeCursor } from '../../lib/cursor.ts';
import { placeholdersOf } from '../../lib/user-language.ts';
import { bodyOf, tmaHeader, useTestApi } from '../../testing.ts';
import { statementPageSchema } from './transactions.routes.ts';
import { statementTexts } from './transactions.texts.ts';

const api = useTestApi();
const aliceEn = tmaHeader({ id: 901, languageCode: 'en' });
const bob = tmaHeader({ id: 902 });
const tx = { credited: 'c1'.repeat(32), held: 'd2'.repeat(32), bobs: 'e3'.repeat(32) };
const cardId = `crd_${uniqueSuffix()}${uniqueSuffix()}`;

async function userIdOf(authorization: string): Promise<string> {
  return (await bodyOf(await api.app.request('/v1/me', { headers: { authorization } }))).user.id as string;
}

beforeAll(async () => {
  const ledger = createLedger({ pool: api.database.pool });
  const alice = await userIdOf(aliceEn);
  const bobId = await userIdOf(bob);
  const cards = createCardStore(api.database.pool).cards;
  await cards.beginIssue({ cardId, userId: alice });
  const [treasury, wallet, depositFees, issueFees, fxUsdt, fxUsd, prefund, card, bobWallet] =
    await ledger.createAccounts([
      chart.treasury,
      chart.wallet(alice),
      chart.depositFees,
      chart.cardIssueFees,
      chart.fxPositionUsdt,
      chart.fxPositionUsd,
      chart.providerPrefund,
      chart.card(cardId, alice),
      chart.wallet(bobId),
    ]);
  const usdt = (minor: bigint) => moneyFromMinor(minor, USDT);
  const usd = (minor: bigint) => moneyFromMinor(minor, USD);
  const posted = (id: string, code: string, debit: bigint, credit: bigint, amount: ReturnType<typeof usd>) =>
    ({ type: 'posted', id, code, debitAccountId: debit, creditAccountId: credit, amount }) as const;
  const pending = (id: string, code: string, debit: bigint, credit: bigint, amount: ReturnType<typeof usd>) =>
    ({ type: 'pending', id, code, debitAccountId: debit, creditAccountId: credit, amount }) as const;
  const batches: TransferRequest[][] = [
    [
      posted(
        depositTransferIds(tx.credited, 0).credit,
        'deposit',
        treasury!.id,
        wallet!.id,
        usdt(25_500_000n),
      ),
      posted(
        depositTransferIds(tx.credited, 0).fee,
        'deposit_fee',
        wallet!.id,
        depositFees!.id,
        usdt(755_000n),
      ),
    ],
    [
      pending(
        depositTransferIds(tx.held, 0).credit,
        'deposit_review',
        treasury!.id,
        wallet!.id,
        usdt(3_000_000n),
      ),
    ],
    [
      pending(
        cardIssueFeeTransferIds(cardId).pending,
        'card_issue_fee',
        wallet!.id,
        issueFees!.id,
        usdt(2_000_000n),
      ),
    ],
    [
      {
        type: 'post_pending',
        id: cardIssueFeeTransferIds(cardId).post,
        code: 'card_issue_fee',
        pendingId: cardIssueFeeTransferIds(cardId).pending,
      },
    ],
    [pending('load:L1', 'card_load', wallet!.id, fxUsdt!.id, usdt(10_000_000n))],
    [
      { type: 'post_pending', id: 'load:L1:post', code: 'card_load', pendingId: 'load:L1' },
      posted('load:L1:usd', 'card_load', fxUsd!.id, card!.id, usd(984n)),
    ],
    [pending('load:L2', 'card_load', wallet!.id, fxUsdt!.id, usdt(1_000_000n))],
    [{ type: 'void_pending', id: 'load:L2:void', code: 'card_load', pendingId: 'load:L2' }],
    [pending('ctx:txn1:1:hold', 'card_hold', card!.id, prefund!.id, usd(250n))],
    [posted('ctx:txn2:1:debit', 'card_debit', card!.id, prefund!.id, usd(100n))],
    [posted('ctx:txn3:1:credit', 'card_credit', prefund!.id, card!.id, usd(50n))],
    [
      posted(
        depositTransferIds(tx.bobs, 0).credit,
        'deposit',
        treasury!.id,
        bobWallet!.id,
        usdt(70_000_000n),
      ),
    ],
  ];
  for (const batch of batches) await ledger.submit(batch);
});

async function statement(authorization: string, query = '') {
  const response = await api.app.request(`/v1/transactions${query}`, { headers: { authorization } });
  expect(response.status).toBe(200);
  // Checked against the route's own response schema, so the fields are typed.
  return statementPageSchema.parse(await bodyOf(response));
}

describe('GET /v1/transactions', () => {
  it('lists the wallet and the card newest first, signed, referenced and described', async () => {
    const body = await statement(aliceEn, '?limit=100');
    expect(body.nextCursor).toBeNull();
    const rows = body.items.map((line) => [
      line.id,
      line.kind,
      line.status,
      `${line.amount.amount} ${line.amount.asset}`,
      line.account.type,
      line.description,
    ]);
    expect(rows).toEqual([
      ['ctx:txn3:1:credit', 'card_refund', 'posted', '0.50 USD', 'card', 'Refund to your card'],
      ['ctx:txn2:1:debit', 'card_payment', 'posted', '-1.00 USD', 'card', 'Card payment'],
      [
        'ctx:txn1:1:hold',
        'card_payment',
        'pending',
        '-2.50 USD',
        'card',
        'Card payment (authorized, not yet settled)',
      ],
      ['load:L1:usd', 'card_load', 'posted', '9.84 USD', 'card', 'Card top-up from your USDT wallet'],
      ['load:L1', 'card_load', 'posted', '-10.000000 USDT', 'wallet', 'Sent to your card'],
      [
        cardIssueFeeTransferIds(cardId).pending,
        'card_issue_fee',
        'posted',
        '-2.000000 USDT',
        'wallet',
        'Card issue fee',
      ],
      [
        depositTransferIds(tx.held, 0).credit,
        'deposit',
        'pending',
        '3.000000 USDT',
        'wallet',
        'USDT deposit held for review',
      ],
      [
        depositTransferIds(tx.credited, 0).fee,
        'deposit_fee',
        'posted',
        '-0.755000 USDT',
        'wallet',
        'Deposit fee',
      ],
      [
        depositTransferIds(tx.credited, 0).credit,
        'deposit',
        'posted',
        '25.500000 USDT',
        'wallet',
        'USDT deposit',
      ],
    ]);
    const byId = new Map(body.items.map((line) => [line.id, line]));
    expect(byId.get('ctx:txn1:1:hold')).toMatchObject({
      account: { type: 'card', cardId },
      reference: { type: 'card_transaction', id: 'txn1' },
      postedAt: null,
    });
    expect(byId.get('load:L1')).toMatchObject({
      account: { type: 'wallet', cardId: null },
      reference: { type: 'card_load', id: 'L1' },
    });
    expect(byId.get('load:L1')?.postedAt).toMatch(/^\d{4}-/);
    expect(byId.get(depositTransferIds(tx.credited, 0).fee)).toMatchObject({
      reference: { type: 'deposit', id: `${tx.credited}:0` },
    });
    expect(byId.get(cardIssueFeeTransferIds(cardId).pending)).toMatchObject({
      reference: { type: 'card_issue', id: cardId },
    });
  });

  it('describes in Russian for a Russian-speaking user', async () => {
    const body = await statement(tmaHeader({ id: 901, languageCode: 'ru' }), '?limit=3');
    expect(body.items.map((line) => line.description)).toEqual([
      'Возврат на карту',
      'Оплата картой',
      'Оплата картой (авторизована, ещё не списана)',
    ]);
  });

  it('pages without losing or repeating a line, and shows another user only their own', async () => {
    const all = (await statement(aliceEn, '?limit=100')).items.map((line) => line.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page += 1) {
      const body = await statement(aliceEn, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(body.items.length).toBeLessThanOrEqual(2);
      paged.push(...body.items.map((line) => line.id));
      cursor = body.nextCursor;
      if (cursor === null) break;
    }
    expect(paged).toEqual(all);
    const bobs = await statement(bob);
    expect(bobs.items.map((line) => line.id)).toEqual([depositTransferIds(tx.bobs, 0).credit]);
    expect(await statement(tmaHeader({ id: 903 }))).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a bad cursor or limit with a 422 naming the field, and no initData with a 401', async () => {
    const cases: Array<[string, string]> = [
      ['cursor=%%%', 'query.cursor'],
      [`cursor=${encodeCursor('seq.0')}`, 'query.cursor'],
      [`cursor=${encodeCursor('seq.-5')}`, 'query.cursor'],
      [`cursor=${encodeCursor('seq.9223372036854775808')}`, 'query.cursor'],
      [`cursor=${encodeCursor('12')}`, 'query.cursor'],
      ['limit=0', 'query.limit'],
      ['limit=1000', 'query.limit'],
      ['limit=1.5', 'query.limit'],
    ];
    for (const [query, field] of cases) {
      const response = await api.app.request(`/v1/transactions?${query}`, {
        headers: { authorization: aliceEn },
      });
      expect(response.status, query).toBe(422);
      expect((await bodyOf(response)).details.field, query).toBe(field);
    }
    const anonymous = await api.app.request('/v1/transactions');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
  });

  it('has the same keys and placeholders in English and Russian', () => {
    const { en, ru } = statementTexts;
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ru[key].length, key).toBeGreaterThan(0);
      expect(placeholdersOf(ru[key]), key).toEqual(placeholdersOf(en[key]));
    }
  });
});
