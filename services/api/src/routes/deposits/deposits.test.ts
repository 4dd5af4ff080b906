// Proves GET /v1/deposits on the real PostgreSQL, with deposits recorded through the deposit store as the watcher
// records them and the ledger transfers the deposit flow writes: every state is told apart (seen in one block,
// confirming with confirmations done and needed from the watcher's cursor, final, credited with its fee and net,
// held for review, released after review with its fee, rejected, orphaned by a reorg); amounts are decimal strings;
// pages run newest first without losing or repeating one and end with a null cursor; another user's deposits never
// appear; a user without an address has none; a bad cursor or limit is a 422 naming the field; no initData is a 401.
import { beforeAll, describe, expect, it } from 'vitest';
import { createDepositStore, type DepositObservation } from '@cardgate/deposit-store';
import { blocks, observation, testToken, tip } from '@cardgate/deposit-store/testing';
import { chart, depositTransferIds } from '@cardgate/domain';
import { createLedger, type Ledger } from '@cardgate/ledger';
import { moneyFromMinor, USDT } from '@cardgate/money';
import { encodeCursor } from '../../lib/cursor.ts';
import { bodyOf, tmaHeader, useTestApi } from '../../testing.ts';
import { depositPageSchema } from './deposits.routes.ts';

const api = useTestApi();
const alice = tmaHeader({ id: 801 });
const bob = tmaHeader({ id: 802 });
let ledger: Ledger;

async function get(path: string, authorization = alice) {
  return api.app.request(path, { headers: { authorization } });
}

/** A 200 page, checked against the route's own response schema (so its fields are typed). */
async function list(path: string, authorization = alice) {
  const response = await get(path, authorization);
  expect(response.status, path).toBe(200);
  return depositPageSchema.parse(await bodyOf(response));
}

async function addressOf(authorization: string): Promise<{ address: string; userId: string }> {
  const address = (await bodyOf(await get('/v1/deposit-address', authorization))).address as string;
  const userId = (await bodyOf(await get('/v1/me', authorization))).user.id as string;
  return { address, userId };
}

type Named = Record<string, DepositObservation>;
let deposits: Named;

beforeAll(async () => {
  ledger = createLedger({ pool: api.database.pool });
  const mine = await addressOf(alice);
  const theirs = await addressOf(bob);
  const token = testToken();
  const store = createDepositStore(api.database.pool, token);
  const run = blocks(1, 30);
  const to = (block: number, amountMinor: bigint, address = mine.address): DepositObservation => ({
    ...observation(run[block - 1]!, amountMinor),
    to: address,
  });
  deposits = {
    final: to(2, 7_000_000n),
    credited: to(3, 25_500_000n),
    held: to(4, 3_000_000n),
    released: to(5, 4_000_000n),
    rejected: to(6, 2_000_000n),
    confirming: to(26, 9_000_000n),
    orphaned: to(30, 11_000_000n),
    bobs: to(7, 50_000_000n, theirs.address),
  };
  // Blocks 1..10 final on first sight; the block with `orphaned` is then replaced by a reorg, and the new branch
  // carries `seen` in its top block.
  await store.applyBlocks(undefined, run, Object.values(deposits), 10);
  const ancestor = { number: 29, hash: run[28]!.hash };
  await store.rewind(tip(run), ancestor);
  const branch = blocks(30, 2, ancestor.hash);
  deposits.seen = { ...observation(branch[1]!, 6_000_000n), to: mine.address };
  await store.applyBlocks(ancestor, branch, [deposits.seen]);

  const [treasury, wallet, fees] = await ledger.createAccounts([
    chart.treasury,
    chart.wallet(mine.userId),
    chart.depositFees,
  ]);
  const usdt = (minor: bigint) => moneyFromMinor(minor, USDT);
  const ids = (name: string) => depositTransferIds(deposits[name]!.txId, 0);
  const credit = (name: string, type: 'posted' | 'pending') => ({
    type,
    id: ids(name).credit,
    code: type === 'posted' ? 'deposit' : 'deposit_review',
    debitAccountId: treasury!.id,
    creditAccountId: wallet!.id,
    amount: usdt(deposits[name]!.amountMinor),
  });
  const fee = (name: string, minor: bigint) => ({
    type: 'posted' as const,
    id: ids(name).fee,
    code: 'deposit_fee',
    debitAccountId: wallet!.id,
    creditAccountId: fees!.id,
    amount: usdt(minor),
  });
  await ledger.submit([credit('credited', 'posted'), fee('credited', 755_000n)]);
  await ledger.submit([credit('held', 'pending')]);
  await ledger.submit([credit('released', 'pending')]);
  await ledger.submit([
    {
      type: 'post_pending',
      id: ids('released').release,
      code: 'deposit_released',
      pendingId: ids('released').credit,
    },
    fee('released', 540_000n),
  ]);
  await ledger.submit([credit('rejected', 'pending')]);
  await ledger.submit([
    {
      type: 'void_pending',
      id: ids('rejected').reject,
      code: 'deposit_rejected',
      pendingId: ids('rejected').credit,
    },
  ]);
});

describe('GET /v1/deposits', () => {
  it('tells every state apart, with confirmations and amounts', async () => {
    const body = await list('/v1/deposits?limit=100');
    expect(body.nextCursor).toBeNull();
    const byTx = new Map(body.items.map((item) => [item.txId, item]));
    const view = (name: string) => {
      const item = byTx.get(deposits[name]!.txId)!;
      return {
        state: item.state,
        confirmations: item.confirmations,
        amount: item.amount,
        fee: item.fee,
        net: item.net,
      };
    };
    const usdt = (amount: string) => ({ amount, asset: 'USDT' });
    expect(byTx.size).toBe(8);
    expect(byTx.has(deposits.bobs!.txId)).toBe(false);
    expect(view('seen')).toEqual({
      state: 'seen',
      confirmations: { done: 1, needed: 19 },
      amount: usdt('6.000000'),
      fee: null,
      net: null,
    });
    expect(view('confirming')).toMatchObject({ state: 'confirming', confirmations: { done: 6, needed: 19 } });
    expect(view('final')).toEqual({
      state: 'final',
      confirmations: null,
      amount: usdt('7.000000'),
      fee: null,
      net: null,
    });
    expect(view('credited')).toEqual({
      state: 'credited',
      confirmations: null,
      amount: usdt('25.500000'),
      fee: usdt('0.755000'),
      net: usdt('24.745000'),
    });
    expect(view('held')).toEqual({
      state: 'held_for_review',
      confirmations: null,
      amount: usdt('3.000000'),
      fee: null,
      net: null,
    });
    expect(view('released')).toMatchObject({
      state: 'credited',
      fee: usdt('0.540000'),
      net: usdt('3.460000'),
    });
    expect(view('rejected')).toMatchObject({ state: 'rejected', fee: null, net: null });
    expect(view('orphaned')).toMatchObject({ state: 'orphaned', amount: usdt('11.000000') });
    const credited = byTx.get(deposits.credited!.txId)!;
    expect(credited).toMatchObject({
      id: `${deposits.credited!.txId}:0`,
      logIndex: 0,
      blockNumber: '3',
      from: deposits.credited!.from,
    });
    expect(typeof credited.creditedAt).toBe('string');
    expect(typeof credited.finalAt).toBe('string');
    // Newest first: the deposit seen after the reorg leads.
    expect(body.items[0]?.txId).toBe(deposits.seen!.txId);
  });

  it('pages newest first without losing or repeating a deposit', async () => {
    const all = (await list('/v1/deposits?limit=100')).items.map((item) => item.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const body = await list(`/v1/deposits?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(body.items.length).toBeLessThanOrEqual(3);
      paged.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect(paged).toEqual(all);
  });

  it('shows another user only their own deposits, and a user without an address none', async () => {
    const bobs = await list('/v1/deposits', bob);
    expect(bobs.items.map((item) => item.txId)).toEqual([deposits.bobs!.txId]);
    const nobody = await list('/v1/deposits', tmaHeader({ id: 803 }));
    expect(nobody).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a bad cursor or limit with a 422 naming the field, and no initData with a 401', async () => {
    const cases: Array<[string, string]> = [
      ['cursor=not-a-cursor!', 'query.cursor'],
      [`cursor=${encodeCursor('12.zz.1')}`, 'query.cursor'],
      [`cursor=${encodeCursor(`99999999999999999999.${'a'.repeat(64)}.0`)}`, 'query.cursor'],
      [`cursor=${'A'.repeat(201)}`, 'query.cursor'],
      ['limit=0', 'query.limit'],
      ['limit=101', 'query.limit'],
      ['limit=ten', 'query.limit'],
    ];
    for (const [query, field] of cases) {
      const response = await get(`/v1/deposits?${query}`);
      expect(response.status, query).toBe(422);
      expect(response.headers.get('content-type'), query).toBe('application/problem+json');
      expect((await bodyOf(response)).details.field, query).toBe(field);
    }
    expect((await api.app.request('/v1/deposits')).status).toBe(401);
  });
});
