// Proves a card load's USDT hold on the real PostgreSQL, as the API and the worker both place it: the wallet's
// pending debit is made once however often the hold is asked (a retry, the workflow after the API), and a wallet
// short of the amount fails the load (`insufficient_funds`), throws the ledger's refusal (isInsufficientFunds), and
// holds nothing.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCardStore } from '@cardgate/card-store';
import { sql } from '@cardgate/db';
import { cardLoadPendingTransferId, chart, quoteCardLoad } from '@cardgate/domain';
import { createAccountResolver, createLedger } from '@cardgate/ledger';
import { parseMoney, USDT } from '@cardgate/money';
import { useTestDatabase } from '@cardgate/test-harness';
import { z } from 'zod';
import { holdCardLoad, isInsufficientFunds } from './card-load-hold.ts';

const database = useTestDatabase();
const fx = { usdtUsdRate: '0.9995', spreadBasisPoints: 150n };

describe('a card load’s hold', () => {
  it('holds once however often asked, and fails a load the wallet cannot pay without holding it', async () => {
    const ledger = createLedger({ pool: database.pool });
    const store = createCardStore(database.pool);
    const dependencies = { ledger, accountIds: createAccountResolver(ledger), store };
    const userId = `usr_hold${randomUUID().slice(0, 8)}`;
    const cardId = `crd_hold${randomUUID().slice(0, 8)}`;
    await store.cards.beginIssue({ cardId, userId });
    const [treasury, wallet] = await ledger.createAccounts([chart.treasury, chart.wallet(userId)]);
    await ledger.transfer({
      type: 'posted',
      id: `test-funding:${userId}`,
      code: 'deposit',
      debitAccountId: treasury!.id,
      creditAccountId: wallet!.id,
      amount: parseMoney('30', USDT),
    });
    const load = (usdt: string) =>
      store.loads.create({
        loadId: `ld_hold${randomUUID().slice(0, 8)}`,
        cardId,
        userId,
        quote: quoteCardLoad(parseMoney(usdt, USDT), fx, new Date()),
      });
    const pendingDebits = async () => (await ledger.accountByCode(chart.wallet(userId).code))?.debitsPending;

    const first = await load('20');
    await holdCardLoad(dependencies, first);
    await holdCardLoad(dependencies, first); // a repeat finds the transfer made
    expect(await pendingDebits()).toBe(20_000_000n);
    expect((await ledger.transferById(cardLoadPendingTransferId(first.loadId)))?.amountMinor).toBe(
      20_000_000n,
    );

    const second = await load('20'); // 10 USDT are left available
    const refused = await holdCardLoad(dependencies, second).catch((error: unknown) => error);
    expect(isInsufficientFunds(refused)).toBe(true);
    expect(await pendingDebits()).toBe(20_000_000n);
    expect(await ledger.transferById(cardLoadPendingTransferId(second.loadId))).toBeUndefined();
    const failed = await database.pool.one(sql.type(
      z.object({ status: z.string(), failure_reason: z.string() }),
    )`
      select status, failure_reason from card_load where id = ${second.loadId}`);
    expect(failed).toEqual({ status: 'failed', failure_reason: 'insufficient_funds' });
    expect((await store.loads.byId(first.loadId)).status).toBe('holding');
  });
});
