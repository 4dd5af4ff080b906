// `npm run bench:ledger`: the ledger's throughput and latency on this machine, with durable settings (fsync and
// synchronous_commit on, checked and printed), a Node client and the database on the same 2 cores. Each scenario runs
// for a fixed number of operations from N concurrent clients; `verify` runs at the end and a broken invariant fails
// the run.
// A shared, noisy machine makes absolute figures meaningless from one run to the next, so the run also measures the
// machine's durable-commit floor (8 clients each committing a one-row insert, through the same pool) before every
// scenario and after the last, and prints each scenario as a ratio to the mean of the floors either side of it.
// Targets (issue 9), as ratios to the floor: uncontended single transfers ≥ 0.35; hold+post pairs ≥ 0.15; batches of
// 100 linked transfers ≥ 2 (transfers/s against commits/s). The hot account has no target; its ratio is printed.
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { sql, type DatabasePool } from '@cardgate/db';
import { createLedger, type Ledger, type TransferRequest } from '@cardgate/ledger';
import { USDT, moneyFromMinor } from '@cardgate/money';
import { formatRow, percentileMs } from './stats.ts';
import { createBenchDatabase } from './database.ts';

const accountsCount = 1_000;
const clients = 8;
const scale = Number(process.env.BENCH_SCALE ?? '1');

interface Scenario {
  readonly name: string;
  /** Throughput over the floor's commits/s at least; undefined: no target, the ratio is printed only. */
  readonly floorRatioMin: number | undefined;
  readonly operations: number;
  /** Transfers counted per operation (100 for a linked batch of 100; 2 legs for hold+post counted as 1 pair). */
  readonly unitsPerOperation: number;
  readonly unit: string;
  readonly run: (operation: number) => Promise<void>;
}

const settingRow = z.object({ setting: z.string() });
const noRows = z.object({});
/** One-row commits per floor measurement: about a second at the floor measured here (~14,500 commits/s). */
const floorCommits = Math.round(12_000 * scale);

async function setting(pool: DatabasePool, name: 'fsync' | 'synchronous_commit'): Promise<string> {
  return name === 'fsync'
    ? pool.oneFirst(sql.type(settingRow)`select current_setting('fsync') as setting`)
    : pool.oneFirst(sql.type(settingRow)`select current_setting('synchronous_commit') as setting`);
}

async function runScenario(scenario: Scenario): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < scenario.operations) {
        const operation = next++;
        const begin = performance.now();
        await scenario.run(operation);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: (scenario.operations * scenario.unitsPerOperation) / seconds,
    p50: percentileMs(latencies, 0.5),
    p99: percentileMs(latencies, 0.99),
  };
}

/**
 * The durable-commit floor: `clients` connections of the pool, each committing a one-row insert (autocommit, one round
 * trip, one WAL flush per commit unless PostgreSQL groups concurrent flushes). Nothing that commits durably through
 * this pool can do more commits per second; a ledger batch is one commit, so the ratios say how close to it it gets.
 */
async function measureFloor(pool: DatabasePool): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (next < floorCommits) {
        next += 1;
        await pool.query(sql.prepared('cardgate_bench_commit_floor', noRows)`
          insert into bench_commit_floor (client) values (${client})`);
      }
    }),
  );
  return floorCommits / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const { pool, close } = await createBenchDatabase('cardgate_bench_ledger', 12);

  const ledger: Ledger = createLedger({ pool, lanesMax: Number(process.env.BENCH_LEDGER_LANES ?? '1') });
  console.log(
    `PostgreSQL: fsync=${await setting(pool, 'fsync')} synchronous_commit=${await setting(pool, 'synchronous_commit')}`,
  );
  console.log(`clients=${clients} accounts=${accountsCount} node=${process.version}`);
  // The floor's own table, in the bench's throwaway database: not part of any migration.
  await pool.query(sql.type(noRows)`
    create table bench_commit_floor (id int8 generated always as identity primary key, client int4 not null,
      created_at timestamptz not null default now())`);

  const treasury = (
    await ledger.createAccounts([{ code: 'treasury:tron:USDT', asset: 'USDT', kind: 'asset' }])
  )[0]!;
  const fees = (
    await ledger.createAccounts([{ code: 'fees:deposit:USDT', asset: 'USDT', kind: 'revenue' }])
  )[0]!;
  const wallets = await ledger.createAccounts(
    Array.from({ length: accountsCount }, (_, index) => ({
      code: `user:${index}:wallet:USDT`,
      asset: 'USDT',
      kind: 'liability' as const,
      debitsMustNotExceedCredits: true,
    })),
  );
  // Fund every wallet generously so the scenarios never hit a flag.
  for (let offset = 0; offset < wallets.length; offset += 500)
    await ledger.submit(
      wallets.slice(offset, offset + 500).map((wallet) => ({
        type: 'posted' as const,
        id: `fund-${wallet.id}`,
        code: 'deposit',
        debitAccountId: treasury.id,
        creditAccountId: wallet.id,
        amount: moneyFromMinor(1_000_000_000_000n, USDT),
      })),
    );
  const wallet = (index: number) => wallets[index % wallets.length]!;
  const amount = moneyFromMinor(1_000n, USDT);

  const scenarios: Scenario[] = [
    {
      name: 'uncontended single transfers',
      floorRatioMin: 0.35,
      operations: Math.round(20_000 * scale),
      unitsPerOperation: 1,
      unit: 'transfers/s',
      run: async (operation) => {
        // Distinct pairs of accounts: no two concurrent operations share an account.
        await ledger.transfer({
          type: 'posted',
          id: `u-${operation}`,
          code: 'transfer',
          debitAccountId: wallet(operation * 2).id,
          creditAccountId: wallet(operation * 2 + 1).id,
          amount,
        });
      },
    },
    {
      name: 'one hot account (fee on every transfer)',
      floorRatioMin: undefined,
      operations: Math.round(10_000 * scale),
      unitsPerOperation: 1,
      unit: 'transfers/s',
      run: async (operation) => {
        await ledger.transfer({
          type: 'posted',
          id: `h-${operation}`,
          code: 'fee',
          debitAccountId: wallet(operation).id,
          creditAccountId: fees.id,
          amount,
        });
      },
    },
    {
      name: 'batches of 100 linked transfers',
      floorRatioMin: 2,
      operations: Math.round(400 * scale),
      unitsPerOperation: 100,
      unit: 'transfers/s',
      run: async (operation) => {
        const batch: TransferRequest[] = Array.from({ length: 100 }, (_, index) => ({
          type: 'posted',
          id: `b-${operation}-${index}`,
          code: 'transfer',
          debitAccountId: wallet(operation * 100 + index).id,
          creditAccountId: fees.id,
          amount,
        }));
        await ledger.submit(batch);
      },
    },
    {
      name: 'holds then posts',
      floorRatioMin: 0.15,
      operations: Math.round(8_000 * scale),
      unitsPerOperation: 1,
      unit: 'hold+post pairs/s',
      run: async (operation) => {
        const hold = await ledger.transfer({
          type: 'pending',
          id: `p-${operation}`,
          code: 'card_load',
          debitAccountId: wallet(operation * 2).id,
          creditAccountId: wallet(operation * 2 + 1).id,
          amount,
        });
        await ledger.transfer({
          type: 'post_pending',
          id: `pp-${operation}`,
          code: 'card_load',
          pendingId: hold.transfer.id,
        });
      },
    },
  ];

  const widths = [42, 12, 18, 9, 9, 10, 7, 7, 4];
  const header = ['scenario', 'throughput', 'unit', 'p50 ms', 'p99 ms', 'floor/s', 'ratio', 'target', 'met'];
  let allMet = true;
  // Warm-up, not measured: the first batches compile the functions' plans, open the pool's connection and let V8
  // optimise the hot path; every scenario then starts from the same warm state.
  for (let operation = 0; operation < 2_000; operation += 8)
    await Promise.all(
      Array.from({ length: 8 }, (_, client) =>
        ledger.transfer({
          type: 'posted',
          id: `warm-${operation + client}`,
          code: 'warm_up',
          debitAccountId: wallet(operation + client).id,
          creditAccountId: wallet(operation + client + 500).id,
          amount,
        }),
      ),
    );
  await measureFloor(pool); // warms the floor's statement and the pool's connections; not counted
  console.log(formatRow(header, widths));
  let floorBefore = await measureFloor(pool);
  const notes: string[] = [];
  for (const scenario of scenarios) {
    const countsBefore = ledger.commitCounts();
    const result = await runScenario(scenario);
    const counts = ledger.commitCounts();
    const batches = counts.batches - countsBefore.batches;
    notes.push(
      `${scenario.name}: ${batches} batches, ${(scenario.operations / batches).toFixed(1)} operations each; ` +
        `extra round trips: ${counts.loads - countsBefore.loads} loads, ` +
        `${counts.staleAnswers - countsBefore.staleAnswers} stale answers, ` +
        `${counts.lockedFallbacks - countsBefore.lockedFallbacks} locked fallbacks`,
    );
    const floorAfter = await measureFloor(pool);
    const floor = (floorBefore + floorAfter) / 2;
    const ratio = result.perSecond / floor;
    const met = scenario.floorRatioMin === undefined || ratio >= scenario.floorRatioMin;
    allMet &&= met;
    console.log(
      formatRow(
        [
          scenario.name,
          Math.round(result.perSecond),
          scenario.unit,
          result.p50.toFixed(2),
          result.p99.toFixed(2),
          Math.round(floor),
          ratio.toFixed(3),
          scenario.floorRatioMin === undefined ? '-' : `≥ ${scenario.floorRatioMin}`,
          met ? 'yes' : 'NO',
        ],
        widths,
      ),
    );
    floorBefore = floorAfter;
  }

  for (const note of notes) console.log(note);

  const report = await ledger.verify();
  console.log(
    `verify: ${report.ok ? 'ok' : 'BROKEN'} (${report.accountsChecked} accounts, ${report.transfersChecked} transfers)`,
  );
  for (const problem of report.problems) console.log(`  ${problem}`);
  await close();
  if (!report.ok) process.exit(1);
  if (!allMet) console.log('note: a target was missed; see the figures above');
}

await main();
