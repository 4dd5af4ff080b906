// Proves the ledger under concurrency and crashes: several workers run random transfers, holds, posts (full and
// partial), voids and expiries against shared accounts, resubmit some requests with the same ids, while a chaos task
// kills the ledger's database connections mid-transaction (pg_terminate_backend). Afterwards `verify` passes and every
// account's totals equal what an in-memory model of the accepted operations predicts: nothing lost, nothing twice.
// The seed is printed; LEDGER_FUZZ_SEED=<seed> replays a run, LEDGER_FUZZ_OPERATIONS=<n> makes it longer.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createDatabasePool } from '@cardgate/db';
import { useTestDatabase } from '@cardgate/test-harness';
import { createLedger, expiryTransferId } from './ledger.ts';
import { LedgerError } from './ledger-error.ts';
import type { Account, Totals, TransferRequest, TransferResult } from './types.ts';
import { usdt } from './testing.ts';

const database = useTestDatabase();

/** mulberry32: a small seeded generator, so a failing run can be replayed exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type MutableTotals = { -readonly [K in keyof Totals]: bigint };

describe('ledger under concurrency and killed connections', () => {
  it('matches an in-memory model of the accepted operations, and verify passes', async () => {
    const seed = Number(process.env.LEDGER_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const operationsPerWorker = Number(process.env.LEDGER_FUZZ_OPERATIONS ?? 150);
    console.log(`ledger fuzz seed: ${seed} (replay with LEDGER_FUZZ_SEED=${seed})`);
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

    const applicationName = `ledger-chaos-${seed}`;
    const pool = await createDatabasePool({ connectionUri: database.url, maxPoolSize: 6, applicationName });
    const ledger = createLedger({ pool, lanesMax: 3, attemptsMax: 30, retryBackoffMsMax: 50 });
    const run = `${seed}`;
    const treasury = (
      await ledger.createAccounts([{ code: `treasury:${run}`, asset: 'USDT', kind: 'asset' }])
    )[0]!;
    const fees = (await ledger.createAccounts([{ code: `fees:${run}`, asset: 'USDT', kind: 'revenue' }]))[0]!;
    const wallets = await ledger.createAccounts(
      Array.from({ length: 12 }, (_, index) => ({
        code: `wallet:${run}:${index}`,
        asset: 'USDT',
        kind: 'liability' as const,
        debitsMustNotExceedCredits: true,
      })),
    );
    const all: Account[] = [treasury, fees, ...wallets];
    const model = new Map<bigint, MutableTotals>(
      all.map((account) => [
        account.id,
        { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n },
      ]),
    );
    const holds = new Map<string, { debit: bigint; credit: bigint; amount: bigint; open: boolean }>();
    const submitted: { request: TransferRequest; result: TransferResult }[] = [];
    let killed = 0;
    let businessRejections = 0;

    const appliedIds = new Set<string>();
    /**
     * Applies an accepted transfer once. `exists` counts too when this test has not seen the id before: the first
     * attempt committed but its connection died before the answer, and the ledger's retry found it committed.
     */
    function applyToModel(result: TransferResult): void {
      const transfer = result.transfer;
      if (appliedIds.has(transfer.id)) return;
      appliedIds.add(transfer.id);
      const debit = model.get(transfer.debitAccountId)!;
      const credit = model.get(transfer.creditAccountId)!;
      switch (transfer.kind) {
        case 'posted':
          debit.debitsPosted += transfer.amountMinor;
          credit.creditsPosted += transfer.amountMinor;
          break;
        case 'pending':
          debit.debitsPending += transfer.amountMinor;
          credit.creditsPending += transfer.amountMinor;
          holds.set(transfer.id, {
            debit: transfer.debitAccountId,
            credit: transfer.creditAccountId,
            amount: transfer.amountMinor,
            open: true,
          });
          break;
        case 'post_pending':
        case 'void_pending':
        case 'expire_pending': {
          const hold = holds.get(transfer.pendingId!)!;
          expect(hold.open, `hold ${transfer.pendingId} resolved twice`).toBe(true);
          hold.open = false;
          debit.debitsPending -= hold.amount;
          credit.creditsPending -= hold.amount;
          if (transfer.kind === 'post_pending') {
            debit.debitsPosted += transfer.amountMinor;
            credit.creditsPosted += transfer.amountMinor;
          }
          break;
        }
      }
    }

    /** Submits until the outcome is definite: a lost connection or exhausted retries say nothing about the outcome. */
    async function submitDefinitely(requests: TransferRequest[]): Promise<TransferResult[] | undefined> {
      for (let attempt = 0; attempt < 50; attempt += 1) {
        try {
          return await ledger.submit(requests);
        } catch (error) {
          if (error instanceof LedgerError && (error.code === 'unavailable' || error.code === 'ambiguous'))
            continue;
          if (error instanceof LedgerError) {
            businessRejections += 1;
            return undefined;
          }
          throw error;
        }
      }
      throw new Error('no definite outcome after 50 attempts');
    }

    // Fund the wallets.
    const funding = await submitDefinitely(
      wallets.map((wallet) => ({
        type: 'posted' as const,
        id: `fund-${run}-${wallet.id}`,
        code: 'deposit',
        debitAccountId: treasury.id,
        creditAccountId: wallet.id,
        amount: usdt(1_000_000n),
      })),
    );
    funding!.forEach(applyToModel);

    let stop = false;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const chaos = (async () => {
      while (!stop) {
        await new Promise((resolve) => setTimeout(resolve, 20 + next() * 60));
        const result = await admin.query<{ terminated: boolean }>(
          `select pg_terminate_backend(pid) as terminated from pg_stat_activity
           where application_name = $1 and state in ('active', 'idle in transaction') and pid <> pg_backend_pid()
           order by random() limit 1`,
          [applicationName],
        );
        killed += result.rows.filter((row) => row.terminated).length;
      }
    })();

    let sequence = 0;
    const worker = async (workerIndex: number): Promise<void> => {
      for (let operation = 0; operation < operationsPerWorker; operation += 1) {
        const id = `${run}-${workerIndex}-${sequence++}`;
        const roll = next();
        const from = pick(wallets);
        const to = pick([...wallets.filter((wallet) => wallet !== from), fees]);
        const amount = usdt(BigInt(1 + Math.floor(next() * 200_000)));
        const openHolds = [...holds.entries()].filter(([, hold]) => hold.open);
        let requests: TransferRequest[];
        if (roll < 0.3)
          requests = [
            { type: 'posted', id, code: 'transfer', debitAccountId: from.id, creditAccountId: to.id, amount },
          ];
        else if (roll < 0.45)
          requests = [
            {
              type: 'posted',
              id,
              code: 'card_load',
              debitAccountId: from.id,
              creditAccountId: to.id,
              amount,
            },
            {
              type: 'posted',
              id: `${id}-fee`,
              code: 'fee',
              debitAccountId: from.id,
              creditAccountId: fees.id,
              amount: usdt(7n),
            },
          ];
        else if (roll < 0.65)
          requests = [
            {
              type: 'pending',
              id,
              code: 'hold',
              debitAccountId: from.id,
              creditAccountId: to.id,
              amount,
              ...(next() < 0.3 ? { timeoutAt: new Date(Date.now() + 50 + next() * 400) } : {}),
            },
          ];
        else if (roll < 0.8 && openHolds.length > 0) {
          const [holdId, hold] = pick(openHolds);
          const partial =
            next() < 0.5 ? { amount: usdt(1n + (BigInt(Math.floor(next() * 2 ** 31)) % hold.amount)) } : {};
          requests = [{ type: 'post_pending', id, code: 'hold', pendingId: holdId, ...partial }];
        } else if (roll < 0.9 && openHolds.length > 0)
          requests = [{ type: 'void_pending', id, code: 'hold', pendingId: pick(openHolds)[0] }];
        else if (roll < 0.95 && submitted.length > 0) {
          // Resubmit an earlier request: it must answer `exists` with the original transfer.
          const earlier = pick(submitted);
          const again = await submitDefinitely([earlier.request]);
          expect(again?.[0]?.status).toBe('exists');
          expect(again?.[0]?.transfer.seq).toBe(earlier.result.transfer.seq);
          continue;
        } else {
          const expired = await ledger.expirePending(20).catch((error: unknown) => {
            if (error instanceof LedgerError && error.code === 'unavailable') return 0;
            throw error;
          });
          expect(expired).toBeGreaterThanOrEqual(0);
          continue;
        }
        const results = await submitDefinitely(requests);
        if (!results) continue;
        results.forEach((result, index) => {
          applyToModel(result);
          submitted.push({ request: requests[index]!, result });
        });
      }
    };
    try {
      await Promise.all(Array.from({ length: 5 }, (_, index) => worker(index)));
    } finally {
      stop = true;
      await chaos;
      await admin.end();
    }

    // Expiries created by sweeps are accepted operations too; read them by their deterministic ids.
    for (const [holdId, hold] of holds) {
      if (!hold.open) continue;
      const expiry = await ledger.transferById(expiryTransferId(holdId));
      if (expiry) applyToModel({ status: 'created', transfer: expiry });
    }

    const report = await ledger.verify();
    expect(report.problems).toEqual([]);
    const stored = await ledger.accounts(all.map((account) => account.id));
    for (const account of stored) {
      const expected = model.get(account.id)!;
      expect(
        {
          debitsPosted: account.debitsPosted,
          creditsPosted: account.creditsPosted,
          debitsPending: account.debitsPending,
          creditsPending: account.creditsPending,
        },
        `account ${account.code} (seed ${seed})`,
      ).toEqual(expected);
    }
    console.log(
      `ledger fuzz: ${submitted.length} transfers created, ${businessRejections} rejected by rules, ${killed} connections killed`,
    );
    expect(killed).toBeGreaterThan(0);
    await pool.end();
  }, 120_000);
});
