// Proves that each of the ledger's batch assertions fires, and what follows when one does. Before the write: a plan
// whose posted or pending debits and credits do not balance per asset, or whose accounts move by other than its
// transfers post, is a LedgerInvariantError naming the batch's transfer ids. After the write: figures read back that
// differ from the plan are one too, in TypeScript and in the database, where the write is rolled back (a trigger that
// drops an open-hold row or changes an amount stands in for the bug). The error is no AppError, so no caller takes it
// for a refusal, and the ledger writes nothing more after it.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { isAppError } from '@cardgate/errors';
import { useTestDatabase } from '@cardgate/test-harness';
import { applyGroups, type AccountState, type EngineOutput } from './engine.ts';
import {
  assertPlanBalanced,
  assertWritten,
  figuresDocument,
  figuresFromDocument,
  figuresToDocument,
  LedgerInvariantError,
  plannedFigures,
} from './invariants.ts';
import { createLedger } from './ledger.ts';
import { LedgerError } from './ledger-error.ts';
import { account, transferId, usdt } from './testing.ts';
import type { Totals } from './types.ts';

const database = useTestDatabase();
const zero: Totals = { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n };

function state(id: bigint, totals: Partial<Totals> = {}): AccountState {
  return {
    id,
    asset: 'USDT',
    debitsMustNotExceedCredits: false,
    creditsMustNotExceedDebits: false,
    closed: false,
    ...zero,
    ...totals,
  };
}

/** A real plan: 100 posted and a hold of 40 from account 1 to account 2. */
function plan(): EngineOutput {
  return applyGroups(
    {
      accounts: new Map([1n, 2n].map((id) => [id, state(id)])),
      existing: new Map(),
      resolutions: new Map(),
      now: new Date(),
    },
    [
      {
        batchId: 'a',
        requests: [
          {
            type: 'posted',
            id: 'a',
            code: 'test',
            debitAccountId: 1n,
            creditAccountId: 2n,
            amount: usdt(100n),
          },
          {
            type: 'pending',
            id: 'b',
            code: 'test',
            debitAccountId: 1n,
            creditAccountId: 2n,
            amount: usdt(40n),
          },
        ],
      },
    ],
  );
}

/** The plan with one account's totals after it changed by `delta`. */
function tampered(original: EngineOutput, id: bigint, delta: Partial<Totals>): EngineOutput {
  return {
    ...original,
    changedAccounts: original.changedAccounts.map((change) =>
      change.id !== id
        ? change
        : {
            ...change,
            after: {
              debitsPosted: change.after.debitsPosted + (delta.debitsPosted ?? 0n),
              creditsPosted: change.after.creditsPosted + (delta.creditsPosted ?? 0n),
              debitsPending: change.after.debitsPending + (delta.debitsPending ?? 0n),
              creditsPending: change.after.creditsPending + (delta.creditsPending ?? 0n),
            },
          },
    ),
  };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('before the write', () => {
  it('passes a plan the engine made', () => {
    expect(() => assertPlanBalanced(plan(), ['a', 'b'])).not.toThrow();
  });

  it('fires on unbalanced posted totals, unbalanced pending totals, and posted totals the transfers do not explain', () => {
    const cases: [EngineOutput, RegExp][] = [
      [tampered(plan(), 1n, { debitsPosted: 1n }), /posted debits by 101 but posted credits by 100/],
      [tampered(plan(), 2n, { creditsPending: -1n }), /pending debits by 40 but pending credits by 39/],
      // Balanced, and still wrong: both sides move by 101 while the transfers post 100.
      [
        tampered(tampered(plan(), 1n, { debitsPosted: 1n }), 2n, { creditsPosted: 1n }),
        /posted totals move by 101 but the new transfers post 100/,
      ],
    ];
    for (const [broken, message] of cases) {
      const error = thrown(() => assertPlanBalanced(broken, ['a', 'b']));
      expect(error).toBeInstanceOf(LedgerInvariantError);
      expect(error).toMatchObject({ transferIds: ['a', 'b'], message });
      expect(isAppError(error)).toBe(false);
    }
  });
});

describe('after the write', () => {
  it('passes figures equal to the plan’s, and they survive the trip through the database document', () => {
    const figures = plannedFigures(plan());
    expect(figures.transfers.get('USDT')).toEqual({ count: 2, amountMinor: 140n });
    expect(figures.pendingOpened).toBe(1);
    const document = JSON.parse(JSON.stringify(figuresToDocument(figures))) as unknown;
    const readBack = figuresFromDocument(figuresDocument.parse(document));
    expect(() => assertWritten(figures, readBack, ['a', 'b'])).not.toThrow();
  });

  it('fires on a read-back that differs from the plan in a sum, a count, or an asset', () => {
    const figures = plannedFigures(plan());
    const cases = [
      { ...figures, transfers: new Map([['USDT', { count: 2, amountMinor: 141n }]]) },
      { ...figures, pendingOpened: 0 },
      { ...figures, accounts: new Map([...figures.accounts, ['USD', { count: 1, ...zero }]]) },
    ];
    for (const readBack of cases) {
      const error = thrown(() => assertWritten(figures, readBack, ['a', 'b']));
      expect(error).toBeInstanceOf(LedgerInvariantError);
      expect(error).toMatchObject({ transferIds: ['a', 'b'], message: /the write differs from the plan/ });
    }
  });
});

describe('in the database', () => {
  const noRows = z.object({});
  afterEach(async () => {
    await database.pool.query(sql.type(noRows)`drop trigger if exists test_broken on ledger_pending_open`);
    await database.pool.query(sql.type(noRows)`drop trigger if exists test_broken on ledger_transfer`);
  });

  async function transferCount(): Promise<bigint> {
    return database.pool.oneFirst(
      sql.type(z.object({ count: z.bigint() }))`select count(*) as count from ledger_transfer`,
    );
  }

  it('rolls back a write that drops a row, reports the batch’s ids, and stops the ledger’s writes', async () => {
    const ledger = createLedger({ pool: database.pool });
    const from = await account(ledger, { kind: 'asset' });
    const to = await account(ledger);
    const warm = await ledger.transfer({
      type: 'posted',
      id: transferId(),
      code: 'test',
      debitAccountId: from.id,
      creditAccountId: to.id,
      amount: usdt(5n),
    });
    expect(warm.status).toBe('created');
    await database.pool.query(sql.type(noRows)`
      create or replace function test_drop_row() returns trigger language plpgsql as 'begin return null; end'`);
    await database.pool.query(sql.type(noRows)`
      create trigger test_broken before insert on ledger_pending_open for each row execute function test_drop_row()`);
    const before = await transferCount();
    const id = transferId('hold');
    const error = await ledger
      .transfer({
        type: 'pending',
        id,
        code: 'test',
        debitAccountId: from.id,
        creditAccountId: to.id,
        amount: usdt(7n),
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(LedgerInvariantError);
    expect(error).not.toBeInstanceOf(LedgerError);
    expect(isAppError(error)).toBe(false);
    expect((error as LedgerInvariantError).transferIds).toEqual([id]);
    expect(String((error as Error).cause)).toMatch(/pending_opened/);
    expect(await transferCount()).toBe(before);

    // Stopped: even a write the trigger would not touch is refused, and nothing is written.
    await database.pool.query(sql.type(noRows)`drop trigger test_broken on ledger_pending_open`);
    await expect(
      ledger.transfer({
        type: 'posted',
        id: transferId(),
        code: 'test',
        debitAccountId: from.id,
        creditAccountId: to.id,
        amount: usdt(1n),
      }),
    ).rejects.toBeInstanceOf(LedgerInvariantError);
    expect(await transferCount()).toBe(before);
    expect((await ledger.verify()).problems).toEqual([]);
  });

  it('rolls back a write whose stored amount differs from the planned one', async () => {
    const ledger = createLedger({ pool: database.pool });
    const from = await account(ledger, { kind: 'asset' });
    const to = await account(ledger);
    await database.pool.query(sql.type(noRows)`
      create or replace function test_add_one() returns trigger language plpgsql as
        'begin new.amount := new.amount + 1; return new; end'`);
    await database.pool.query(sql.type(noRows)`
      create trigger test_broken before insert on ledger_transfer for each row execute function test_add_one()`);
    const before = await transferCount();
    await expect(
      ledger.transfer({
        type: 'posted',
        id: transferId(),
        code: 'test',
        debitAccountId: from.id,
        creditAccountId: to.id,
        amount: usdt(10n),
      }),
    ).rejects.toThrow(/ledger invariant broken: the database refused a write that differs from its plan/);
    expect(await transferCount()).toBe(before);
    expect((await ledger.balances([to.id]))[0]!.creditsPosted).toBe(0n);
  });
});
