// Proves a user's balances on the real PostgreSQL: the wallet and each issued card with posted, pending (signed:
// holds negative, held deposits positive) and available amounts as Money in their own asset, the card's state and
// auto-load from the card store; zero for a user with no wallet yet; another user's accounts and cards never appear;
// and the whole read is ONE database round trip (counted on the pool); reads asked for together share one statement
// (at most the batch bound of users each), and each user still gets only their own; a failed statement fails every
// read of its batch, and nothing of it is kept for the next.
import { beforeAll, describe, expect, it } from 'vitest';
import { createCardStore } from '@cardgate/card-store';
import type { DatabasePool } from '@cardgate/db';
import { chart } from '@cardgate/domain';
import { createLedger, type Ledger } from '@cardgate/ledger';
import { formatMoney, parseMoney, USD, USDT, type Money } from '@cardgate/money';
import { uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { createUserBalances } from './user-balances.ts';

const database = useTestDatabase();
let ledger: Ledger;

beforeAll(() => {
  ledger = createLedger({ pool: database.pool });
});

/** The pool with a count of the statements sent through it (each query method call is one round trip). */
function countingPool(pool: DatabasePool): { pool: DatabasePool; count: () => number } {
  let calls = 0;
  const counted = new Proxy(pool, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { pool: counted, count: () => calls };
}

const text = (money: Money) => `${formatMoney(money)} ${money.asset.code}`;

async function openCard(userId: string, autoLoad: boolean) {
  const cardId = `crd_${uniqueSuffix()}${uniqueSuffix()}`;
  const cards = createCardStore(database.pool).cards;
  await cards.beginIssue({ cardId, userId });
  const [account] = await ledger.createAccounts([chart.card(cardId, userId)]);
  await cards.open({
    cardId,
    userId,
    providerToken: `card_${cardId}`,
    ledgerAccountId: account!.id,
    autoLoad,
  });
  return { cardId, accountId: account!.id };
}

describe('a user’s balances', () => {
  it('reads the wallet and each card, in one round trip, and nothing of another user', async () => {
    const userId = `usr_${uniqueSuffix()}`;
    const otherId = `usr_${uniqueSuffix()}`;
    const [treasury, wallet, fees, prefund, otherWallet] = await ledger.createAccounts([
      chart.treasury,
      chart.wallet(userId),
      chart.depositFees,
      chart.providerPrefund,
      chart.wallet(otherId),
    ]);
    const first = await openCard(userId, false);
    const second = await openCard(userId, true);
    await openCard(otherId, true);
    const transfer = async (
      type: 'posted' | 'pending',
      debit: bigint,
      credit: bigint,
      amount: Money,
      code = 'test',
    ) =>
      ledger.transfer({
        type,
        id: `test:${uniqueSuffix()}`,
        code,
        debitAccountId: debit,
        creditAccountId: credit,
        amount,
      });
    await transfer('posted', treasury!.id, wallet!.id, parseMoney('30', USDT));
    await transfer('posted', wallet!.id, fees!.id, parseMoney('0.8', USDT));
    await transfer('pending', wallet!.id, fees!.id, parseMoney('2', USDT)); // a card fee being charged
    await transfer('pending', treasury!.id, wallet!.id, parseMoney('3', USDT)); // a deposit held for review
    await transfer('posted', treasury!.id, otherWallet!.id, parseMoney('99', USDT));
    await transfer('posted', prefund!.id, first.accountId, parseMoney('48.23', USD));
    await transfer('pending', first.accountId, prefund!.id, parseMoney('20', USD)); // a card authorization

    const counting = countingPool(database.pool);
    const balances = await createUserBalances(counting.pool).ofUser(userId);
    expect(counting.count()).toBe(1);

    expect({
      posted: text(balances.wallet.posted),
      pending: text(balances.wallet.pending),
      available: text(balances.wallet.available),
    }).toEqual({ posted: '29.200000 USDT', pending: '1.000000 USDT', available: '27.200000 USDT' });
    expect(
      balances.cards.map((card) => ({
        cardId: card.cardId,
        state: card.state,
        autoLoad: card.autoLoad,
        posted: text(card.posted),
        pending: text(card.pending),
        available: text(card.available),
      })),
    ).toEqual([
      {
        cardId: first.cardId,
        state: 'OPEN',
        autoLoad: false,
        posted: '48.23 USD',
        pending: '-20.00 USD',
        available: '28.23 USD',
      },
      {
        cardId: second.cardId,
        state: 'OPEN',
        autoLoad: true,
        posted: '0.00 USD',
        pending: '0.00 USD',
        available: '0.00 USD',
      },
    ]);
  });

  it('reads users asked for together in one statement each batch, each user getting only their own', async () => {
    const users = Array.from({ length: 5 }, () => `usr_${uniqueSuffix()}`);
    const [treasury, ...wallets] = await ledger.createAccounts([
      chart.treasury,
      ...users.map((userId) => chart.wallet(userId)),
    ]);
    const cardIds: string[] = [];
    for (const [index, userId] of users.entries()) {
      await ledger.transfer({
        type: 'posted',
        id: `test:${uniqueSuffix()}`,
        code: 'test',
        debitAccountId: treasury!.id,
        creditAccountId: wallets[index]!.id,
        amount: parseMoney(String(index + 1), USDT),
      });
      cardIds.push((await openCard(userId, index % 2 === 0)).cardId);
    }
    const secondCard = await openCard(users[2]!, false); // one user with two cards, oldest first
    const expected = users.map((_, index) => ({
      wallet: `${index + 1}.000000 USDT`,
      cards: [
        { cardId: cardIds[index], autoLoad: index % 2 === 0 },
        ...(index === 2 ? [{ cardId: secondCard.cardId, autoLoad: false }] : []),
      ],
    }));
    const shown = (balances: Awaited<ReturnType<ReturnType<typeof createUserBalances>['ofUser']>>) => ({
      wallet: text(balances.wallet.available),
      cards: balances.cards.map((card) => ({ cardId: card.cardId, autoLoad: card.autoLoad })),
    });

    const together = countingPool(database.pool);
    const reader = createUserBalances(together.pool);
    // One user twice, a user with nothing, in a shuffled order: each answer is its own user's.
    const asked = [users[3]!, users[0]!, `usr_${uniqueSuffix()}`, users[4]!, users[1]!, users[3]!, users[2]!];
    const answers = await Promise.all(asked.map((userId) => reader.ofUser(userId)));
    expect(together.count()).toBe(1);
    expect(answers.map(shown)).toEqual([
      expected[3],
      expected[0],
      { wallet: '0.000000 USDT', cards: [] },
      expected[4],
      expected[1],
      expected[3],
      expected[2],
    ]);

    const bounded = countingPool(database.pool);
    const small = createUserBalances(bounded.pool, { batchUsersMax: 2 });
    const boundedAnswers = await Promise.all(users.map((userId) => small.ofUser(userId)));
    expect(bounded.count()).toBe(3); // 2 + 2 + 1
    expect(boundedAnswers.map(shown)).toEqual(expected);

    // Reads asked for one after the other are never answered from an earlier read: no cache.
    await ledger.transfer({
      type: 'posted',
      id: `test:${uniqueSuffix()}`,
      code: 'test',
      debitAccountId: treasury!.id,
      creditAccountId: wallets[0]!.id,
      amount: parseMoney('10', USDT),
    });
    expect(text((await reader.ofUser(users[0]!)).wallet.available)).toBe('11.000000 USDT');
  });

  it('fails every read of a batch whose statement fails, and reads afresh afterwards', async () => {
    const users = [`usr_${uniqueSuffix()}`, `usr_${uniqueSuffix()}`];
    await ledger.createAccounts(users.map((userId) => chart.wallet(userId)));
    let failuresLeft = 1;
    const failingOnce = new Proxy(database.pool, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (name !== 'any' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (failuresLeft > 0) {
            failuresLeft -= 1;
            return Promise.reject(new Error('connection lost'));
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const reader = createUserBalances(failingOnce);
    const failed = await Promise.allSettled(users.map((userId) => reader.ofUser(userId)));
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    const again = await Promise.all(users.map((userId) => reader.ofUser(userId)));
    expect(again.map((balances) => text(balances.wallet.posted))).toEqual(['0.000000 USDT', '0.000000 USDT']);
  });

  it('answers zero in USDT and no cards for a user with no accounts yet', async () => {
    const balances = await createUserBalances(database.pool).ofUser(`usr_${uniqueSuffix()}`);
    expect(balances.cards).toEqual([]);
    expect(text(balances.wallet.posted)).toBe('0.000000 USDT');
    expect(balances.wallet.available.asset).toBe(USDT);
  });
});
