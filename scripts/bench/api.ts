// `npm run bench:api`: the user API's speed beside floors measured in the same run, on the same Node and machine:
//   - HTTP floor: a bare Hono route on @hono/node-server (its own process), at 32 connections (autocannon);
//   - database floor: the endpoint's own balance read (packages/user-balances: one prepared statement joining the
//     user's ledger accounts and cards), one statement per read, through a pooled slonik connection in 32
//     concurrent loops (no HTTP). Printed beside it: the one-table read of the user's accounts, and the same reader
//     as the API runs it, where reads asked for together share a statement;
//   - authenticated GET /v1/balances on the real API process (services/api/src/main.ts), at 32 connections.
//     Target: at least 60% of the lower floor, p99 under 20 ms. They take turns in 5 rounds of 2 s (below).
//     Every connection and every loop is a user of its own: one user's concurrent reads would share a statement
//     (the batched reader reads each user once), which no real crowd of users does.
//   - POST /v1/cards/{id}/loads (a quote first, then the load: the ledger pending debit; the workflow start follows
//     the answer) at 50 requests a second, after a 2 s warm-up at that rate. Target: p99 under 100 ms. Printed
//     beside it: from each request to its workflow's start as Temporal recorded it, and every accepted load's
//     workflow must have started.
//   - CPU microseconds per request of each process (the bench, the API, PostgreSQL's backends, Redis, Temporal) in
//     each phase: the figures that stay meaningful when other work shares the machine.
// PostgreSQL, Redis and Temporal are found or started as for the tests; the database is the bench's own.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { sign } from '@telegram-apps/init-data-node';
import { Client, Connection } from '@temporalio/client';
import { cardLoadWorkflowId } from '@cardgate/contracts';
import { sql } from '@cardgate/db';
import { createCardStore } from '@cardgate/card-store';
import { chart } from '@cardgate/domain';
import { createLedger } from '@cardgate/ledger';
import { createUserBalances } from '@cardgate/user-balances';
import { findFreePort, findOrStartRedis, findOrStartTemporal } from '@cardgate/local-stack';
import { parseMoney, USDT } from '@cardgate/money';
import { z } from 'zod';
import { startService, type RunningService } from '../dev/services.ts';
import { developmentApiEnvironment, developmentBotToken } from '../dev/development-keys.ts';
import { createBenchDatabase } from './database.ts';
import { pidsNamed, startCpuMeter } from './process-cpu.ts';
import { formatRow, percentileMs } from './stats.ts';

const connections = 32;
const durationSeconds = Number(process.env.BENCH_API_SECONDS ?? '10');
/** The floors and GET /v1/balances take turns in this many rounds of durationSeconds / rounds each. */
const rounds = 5;
const loadsPerSecond = 50;
const loadSeconds = Number(process.env.BENCH_API_LOAD_SECONDS ?? '10');
const loadsInFlightMax = 200;
const loadWarmUpSeconds = 2;
const loadUsersCount = 25;
/** Users reading their balances: one per connection (and per database loop). */
const balanceUsersCount = connections;
const floorShareTarget = 0.6;
const balancesP99MsMax = 20;
const loadsP99MsMax = 100;

const database = await createBenchDatabase('cardgate_bench_api', 40);
const redis = await findOrStartRedis();
// The Temporal dev server stands in for a cluster on machines of its own. A workflow start costs it about 9 ms of
// CPU (measured below), so at 50 loads a second it would take half of one of this machine's two cores from the API
// and PostgreSQL: as bench:watcher does, it runs at nice 19 by default (BENCH_TEMPORAL_NICE=0 shares the CPU
// equally). The load's answer does not wait for the start; the time to each start is printed beside it.
const temporalNiceness = Number(process.env.BENCH_TEMPORAL_NICE ?? '19');
const temporal = await findOrStartTemporal(temporalNiceness > 0 ? { niceness: temporalNiceness } : {});
const ports = { api: await findFreePort(), bare: await findFreePort() };
const apiUrl = `http://127.0.0.1:${ports.api}`;
const bareUrl = `http://127.0.0.1:${ports.bare}`;
const services: RunningService[] = [];
let stopping = false;
const onExit = (name: string, code: number | null) => {
  if (!stopping) console.error(`${name} exited (${String(code)})`);
};

async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all(services.map((service) => service.stop()));
  await temporal.stop();
  await redis.stop();
  await database.close();
}

try {
  services.push(
    startService({
      name: 'bare-http',
      entry: 'scripts/bench/bare-http.ts',
      healthUrl: `${bareUrl}/health`,
      env: { ...process.env, BENCH_BARE_PORT: String(ports.bare) },
      onExit,
    }),
    startService({
      name: 'api',
      entry: 'services/api/src/main.ts',
      healthUrl: `${apiUrl}/health`,
      env: {
        ...(process.env as Record<string, string>),
        ...developmentApiEnvironment(),
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        TEMPORAL_TASK_QUEUE: `bench-api-${Date.now()}`,
        API_PORT: String(ports.api),
        CARD_WEBHOOK_SECRET: 'whsec_YmVuY2gtYXBpLXNlY3JldC1ub3QtdXNlZA==',
        LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'warn',
        API_READS_PER_MINUTE: '1000000',
        API_WRITES_PER_MINUTE: '1000000',
        API_REQUESTS_PER_IP_PER_MINUTE: '1000000',
        CARD_LIMIT_PER_LOAD_USD: '1000000',
        CARD_LIMIT_DAILY_USD: '100000000',
        CARD_LIMIT_MONTHLY_USD: '100000000',
        CARD_BALANCE_MAX_USD: '100000000',
        CARD_QUOTE_LIFETIME_MS: '600000',
      },
      // E.g. BENCH_API_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' for a CPU profile of the API over the run.
      nodeArguments: (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
      onExit,
    }),
  );
  await Promise.all(services.map((service) => service.waitHealthy(60_000)));

  const ledger = createLedger({ pool: database.pool });
  const cards = createCardStore(database.pool);
  const [treasury] = await ledger.createAccounts([chart.treasury, chart.fxPositionUsd]);
  if (!treasury) throw new Error('bench treasury missing');
  /** A signed-in user with a funded wallet and an open card (made through the owners, as the flows would). */
  async function benchUser(index: number) {
    const initData = sign(
      { user: { id: 4_200_000_001 + index, first_name: `Bench${index}`, language_code: 'en' } },
      developmentBotToken,
      new Date(),
    );
    const authorization = `tma ${initData}`;
    const me = (await (await fetch(`${apiUrl}/v1/me`, { headers: { authorization } })).json()) as {
      user: { id: string };
    };
    const userId = me.user.id;
    const [wallet] = await ledger.createAccounts([chart.wallet(userId)]);
    if (!treasury || !wallet) throw new Error('bench accounts missing');
    await ledger.transfer({
      type: 'posted',
      id: `bench-funding:${userId}`,
      code: 'deposit',
      debitAccountId: treasury.id,
      creditAccountId: wallet.id,
      amount: parseMoney('10000000', USDT),
    });
    const cardId = `crd_bench${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await cards.cards.beginIssue({ cardId, userId });
    const [cardAccount] = await ledger.createAccounts([chart.card(cardId, userId)]);
    if (!cardAccount) throw new Error('bench card account missing');
    await cards.cards.open({
      cardId,
      userId,
      providerToken: `card_bench_${cardId.slice(4)}`,
      ledgerAccountId: cardAccount.id,
      autoLoad: false,
    });
    return { authorization, userId, cardId };
  }
  const balanceUsers = await Promise.all(
    Array.from({ length: balanceUsersCount }, (_, index) => benchUser(index)),
  );
  // Loads are spread over users: one user's loads take turns by design (the limits are checked under a per-user
  // lock), so a single user would measure that queue, not the route.
  const loadUsers = await Promise.all(
    Array.from({ length: loadUsersCount }, (_, index) => benchUser(balanceUsersCount + index)),
  );
  /** autocannon's setupClient: each connection signs in as the next balance user. */
  const eachClientAUser = () => {
    let nextUser = 0;
    return (client: autocannon.Client) => {
      const user = balanceUsers[nextUser % balanceUsers.length] ?? balanceUsers[0]!;
      nextUser += 1;
      client.setHeaders({ authorization: user.authorization });
    };
  };

  // Beside the database floor: the balance read of a user's accounts alone, pooled, in `connections` loops.
  const accountsOf = (userId: string) =>
    sql.type(
      z.object({
        id: z.bigint(),
        debits_posted: z.bigint(),
        credits_posted: z.bigint(),
        debits_pending: z.bigint(),
      }),
    )`select id, debits_posted, credits_posted, debits_pending from ledger_account where owner_ref = ${userId}`;
  // A short warm-up opens the API's pooled connections, so the meter below knows every PostgreSQL backend in use.
  await autocannon({
    url: `${apiUrl}/v1/balances`,
    connections,
    duration: 2,
    setupClient: eachClientAUser(),
  });
  const backendsQuery = sql.type(
    z.object({ pid: z.number() }),
  )`select pid from pg_stat_activity where datname = current_database()`;
  const processes = {
    bench: [process.pid],
    api: [services[1]?.pid ?? 0],
    bare: [services[0]?.pid ?? 0],
    postgres: [] as number[],
    redis: pidsNamed('redis-server'),
    temporal: pidsNamed('temporal'),
  };
  /** The database's backends as they are now (a pool replaces a connection idle past its timeout). */
  const meterBackends = async () => {
    processes.postgres.splice(0, processes.postgres.length, ...(await database.pool.anyFirst(backendsQuery)));
  };
  await meterBackends();
  console.log(`metering ${processes.postgres.length} PostgreSQL backends: ${processes.postgres.join(' ')}`);
  /** CPU microseconds per request of each process group over a phase. */
  const cpuPerRequest = (cpuMs: Record<string, number>, requests: number) =>
    Object.entries(cpuMs)
      .filter(([, ms]) => ms > 0)
      .map(([name, ms]) => `${name} ${Math.round((ms * 1000) / requests)}`)
      .join(', ');
  /** CPU milliseconds of each process group, summed over the slices of one figure. */
  type CpuTotals = Record<string, number>;
  const addCpu = (totals: CpuTotals, slice: CpuTotals) => {
    for (const [name, ms] of Object.entries(slice)) totals[name] = (totals[name] ?? 0) + ms;
  };
  /**
   * A read in `connections` concurrent loops for `seconds`, each loop for a user of its own: how many it made, each
   * one's latency, its CPU.
   */
  async function readLoops(
    read: (userId: string) => Promise<unknown>,
    seconds: number,
    cpu: CpuTotals,
    latencies: number[],
  ) {
    const meter = startCpuMeter(processes);
    const deadline = performance.now() + seconds * 1000;
    let reads = 0;
    await Promise.all(
      Array.from({ length: connections }, async (_, loop) => {
        const { userId } = balanceUsers[loop % balanceUsers.length] ?? balanceUsers[0]!;
        while (performance.now() < deadline) {
          const started = performance.now();
          await read(userId);
          latencies.push(performance.now() - started);
          reads += 1;
        }
      }),
    );
    addCpu(cpu, meter.stop());
    return reads / seconds;
  }
  /** autocannon for `seconds`; the slices of one figure are aggregated afterwards (one latency histogram). */
  async function cannonSlice(
    url: string,
    setupClient: ((client: autocannon.Client) => void) | undefined,
    seconds: number,
    cpu: CpuTotals,
  ) {
    const meter = startCpuMeter(processes);
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      ...(setupClient ? { setupClient } : {}),
      skipAggregateResult: true,
    });
    addCpu(cpu, meter.stop());
    // Without its aggregation, autocannon's result holds the counts and the encoded latency histogram.
    return result as autocannon.Result & { readonly totalCompletedRequests: number };
  }
  // The database floor is the endpoint's own read (the one statement of packages/user-balances, with its row
  // mapping), one statement per read: what GET /v1/balances cannot do without, were every request to read alone.
  // The API's reader lets reads asked for together share a statement (packages/user-balances); the same reader in
  // the same loops is printed beside the floor, as is the one-table read of the user's accounts.
  const readsAlone = createUserBalances(database.pool, { batchUsersMax: 1 });
  const readsTogether = createUserBalances(database.pool);
  // The floors and the endpoint take turns: `rounds` rounds of one slice each, the order turning every round, so
  // each round's figures are measured within seconds of each other. This machine's speed drifts by a third within a
  // minute (other work on the host); the ratio of each round is the endpoint beside floors measured under the same
  // conditions, and the median of those ratios is the figure held against the target.
  // Whole seconds: autocannon counts its requests once a second, so a shorter slice would run to the next second
  // and be divided by less than it took.
  const sliceSeconds = Math.max(1, Math.round(durationSeconds / rounds));
  const measuredSeconds = sliceSeconds * rounds;
  const cpu = {
    databaseFloor: {},
    batchedRead: {},
    accountsRead: {},
    httpFloor: {},
    balances: {},
  } as Record<string, CpuTotals>;
  const databaseLatencies: number[] = [];
  const batchedLatencies: number[] = [];
  const accountsLatencies: number[] = [];
  const httpSlices: autocannon.Result[] = [];
  const balancesSlices: autocannon.Result[] = [];
  const roundRatios: number[] = [];
  const roundFigures: string[] = [];
  const batchedRatios: number[] = [];
  const figures = {
    databaseFloor: () =>
      readLoops((userId) => readsAlone.ofUser(userId), sliceSeconds, cpu.databaseFloor!, databaseLatencies),
    batchedRead: () =>
      readLoops((userId) => readsTogether.ofUser(userId), sliceSeconds, cpu.batchedRead!, batchedLatencies),
    accountsRead: () =>
      readLoops(
        (userId) => database.pool.any(accountsOf(userId)),
        sliceSeconds,
        cpu.accountsRead!,
        accountsLatencies,
      ),
    httpFloor: async () => {
      const slice = await cannonSlice(`${bareUrl}/bare`, undefined, sliceSeconds, cpu.httpFloor!);
      httpSlices.push(slice);
      return slice.totalCompletedRequests / sliceSeconds;
    },
    balances: async () => {
      const slice = await cannonSlice(
        `${apiUrl}/v1/balances`,
        eachClientAUser(),
        sliceSeconds,
        cpu.balances!,
      );
      balancesSlices.push(slice);
      return slice.totalCompletedRequests / sliceSeconds;
    },
  };
  const order = Object.keys(figures) as (keyof typeof figures)[];
  for (let round = 0; round < rounds; round += 1) {
    const perSecond: Partial<Record<keyof typeof figures, number>> = {};
    const turned = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
    for (const figure of turned) {
      await meterBackends();
      perSecond[figure] = await figures[figure]();
    }
    const lower = Math.min(perSecond.httpFloor ?? 0, perSecond.databaseFloor ?? 0);
    roundRatios.push((perSecond.balances ?? 0) / lower);
    roundFigures.push(`${Math.round(perSecond.balances ?? 0)}/${Math.round(lower)}`);
    batchedRatios.push((perSecond.balances ?? 0) / (perSecond.batchedRead ?? 1));
  }
  /** The slices of one figure as one: its requests a second over all slices, and p99 of all their latencies. */
  const aggregate = (slices: autocannon.Result[]) => {
    const { aggregateResult } = autocannon as unknown as {
      aggregateResult: (results: autocannon.Result[], options: object) => autocannon.Result;
    };
    const result = aggregateResult(slices, { url: 'aggregate', connections, duration: measuredSeconds });
    return {
      perSecond: result.requests.total / measuredSeconds,
      total: result.requests.total,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
    };
  };
  const httpFloor = aggregate(httpSlices);
  const balances = aggregate(balancesSlices);
  const databaseFloor = {
    perSecond: databaseLatencies.length / measuredSeconds,
    p99Ms: percentileMs(databaseLatencies, 0.99),
  };
  const accountsRead = {
    perSecond: accountsLatencies.length / measuredSeconds,
    p99Ms: percentileMs(accountsLatencies, 0.99),
  };
  const batchedRead = {
    perSecond: batchedLatencies.length / measuredSeconds,
    p99Ms: percentileMs(batchedLatencies, 0.99),
  };
  const batchedReadCpu = cpuPerRequest(cpu.batchedRead!, batchedLatencies.length);
  const httpFloorCpu = cpuPerRequest(cpu.httpFloor!, httpFloor.total);
  const balancesCpu = cpuPerRequest(cpu.balances!, balances.total);
  const databaseFloorCpu = cpuPerRequest(cpu.databaseFloor!, databaseLatencies.length);
  const accountsReadCpu = cpuPerRequest(cpu.accountsRead!, accountsLatencies.length);
  if (balances.non2xx > 0) throw new Error(`GET /v1/balances answered ${balances.non2xx} non-2xx responses`);

  // Loads at a fixed rate: each is a quote, then the load with its own Idempotency-Key; the load's latency counts.
  const loadLatencies: number[] = [];
  const acceptedLoads: { loadId: string; sentAtMs: number }[] = [];
  let loadFailures = 0;
  let inFlight = 0;
  const loadOne = async (index: number): Promise<void> => {
    const { authorization, cardId } = loadUsers[index % loadUsers.length] ?? loadUsers[0]!;
    const quote = (await (
      await fetch(`${apiUrl}/v1/quotes`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ cardId, amount: '10' }),
      })
    ).json()) as { id?: string };
    if (!quote.id) {
      loadFailures += 1;
      return;
    }
    const started = performance.now();
    const sentAtMs = Date.now();
    const response = await fetch(`${apiUrl}/v1/cards/${cardId}/loads`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ quoteId: quote.id }),
    });
    const body = (await response.json()) as { id?: string };
    loadLatencies.push(performance.now() - started);
    if (response.status >= 300 || !body.id) loadFailures += 1;
    else acceptedLoads.push({ loadId: body.id, sentAtMs });
  };
  /** `loadsTotal` quote-and-load pairs sent at `loadsPerSecond`, each recorded by loadOne. */
  async function loadsAtRate(loadsTotal: number): Promise<void> {
    const loadTasks: Promise<void>[] = [];
    const loadStarted = performance.now();
    for (let index = 0; index < loadsTotal; index += 1) {
      const due = loadStarted + (index * 1000) / loadsPerSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (inFlight >= loadsInFlightMax) {
        loadFailures += 1;
        continue;
      }
      inFlight += 1;
      loadTasks.push(loadOne(index).finally(() => (inFlight -= 1)));
    }
    await Promise.all(loadTasks);
  }
  // Warm-up, as autocannon's two seconds before the balances: each load user's first loads, the load route's first
  // runs in the API (its code compiled, its statements prepared on the pooled connections) and the first workflow
  // starts. Its p99 is printed apart; the phase measured after it is the steady state.
  await loadsAtRate(loadsPerSecond * loadWarmUpSeconds);
  const warmUpP99Ms = percentileMs(loadLatencies, 0.99);
  const warmUpFailures = loadFailures;
  loadLatencies.length = 0;
  acceptedLoads.length = 0;
  loadFailures = 0;
  await meterBackends();
  const meter = startCpuMeter(processes);
  await loadsAtRate(loadsPerSecond * loadSeconds);
  const loadsCpu = cpuPerRequest(meter.stop(), loadLatencies.length);
  // The API answers once the load is recorded and its USDT held, and starts the workflow right after (see
  // services/api/src/lib/after-response.ts). From each request's sending to its workflow's start, as Temporal
  // recorded it: what the route took when it waited for the start.
  const temporalConnection = await Connection.connect({ address: temporal.address });
  const temporalClient = new Client({ connection: temporalConnection, namespace: temporal.namespace });
  const toStartMs: number[] = [];
  let notStarted = 0;
  for (const { loadId, sentAtMs } of acceptedLoads) {
    const startTime = await temporalClient.workflow
      .getHandle(cardLoadWorkflowId(loadId))
      .describe()
      .then((description) => description.startTime.getTime())
      .catch(() => undefined);
    if (startTime === undefined) notStarted += 1;
    else toStartMs.push(startTime - sentAtMs);
  }
  await temporalConnection.close();

  const median = (values: readonly number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const balancesRatio = median(roundRatios);
  const widths = [44, 12, 12, 10, 24];
  console.log(
    `\nbench:api on ${connections} connections, ${measuredSeconds} s each in ${rounds} rounds taking turns (Node ${process.version}; Temporal dev server at nice ${temporalNiceness})`,
  );
  console.log(formatRow(['figure', 'per second', 'p99 ms', 'ratio', 'target'], widths));
  /** A read's row: its name, per second, p99, and its ratio to the database floor. */
  const readRow = (name: string, read: { perSecond: number; p99Ms: number }) =>
    formatRow(
      [
        name,
        Math.round(read.perSecond),
        read.p99Ms.toFixed(2),
        (read.perSecond / databaseFloor.perSecond).toFixed(3),
        '',
      ],
      widths,
    );
  console.log(
    formatRow(
      ['HTTP floor: bare Hono route', Math.round(httpFloor.perSecond), httpFloor.p99Ms, '1.000', ''],
      widths,
    ),
  );
  console.log(readRow("database floor: the endpoint's balance read", databaseFloor));
  console.log(readRow('  beside it: one-table read of the accounts', accountsRead));
  console.log(readRow('  beside it: the read batched as the API runs it', batchedRead));
  console.log(
    formatRow(
      [
        'GET /v1/balances (authenticated)',
        Math.round(balances.perSecond),
        balances.p99Ms,
        balancesRatio.toFixed(3),
        `>= ${floorShareTarget} of lower floor, p99 < ${balancesP99MsMax}`,
      ],
      widths,
    ),
  );
  console.log(
    `  its ratio is the median of the rounds' (endpoint / lower floor, per second): ${roundFigures
      .map((figure, round) => `${figure} = ${roundRatios[round]?.toFixed(3)}`)
      .join('; ')}`,
  );
  console.log(
    `  beside the batched read (what the API adds to it: HTTP, sign-in, rate limits, JSON), median of the rounds: ${median(batchedRatios).toFixed(3)}`,
  );
  const loadsP99 = percentileMs(loadLatencies, 0.99);
  console.log(
    formatRow(
      [
        `POST /v1/cards/{id}/loads at ${loadsPerSecond}/s`,
        (loadLatencies.length / loadSeconds).toFixed(1),
        loadsP99.toFixed(1),
        '',
        `p99 < ${loadsP99MsMax}`,
      ],
      widths,
    ),
  );
  console.log(
    formatRow(
      [
        '  its workflow started, from the request',
        '',
        percentileMs(toStartMs, 0.99).toFixed(1),
        '',
        `p50 ${percentileMs(toStartMs, 0.5).toFixed(1)}; not started: ${notStarted}`,
      ],
      widths,
    ),
  );
  console.log('CPU microseconds per request, by process:');
  console.log(`  HTTP floor: ${httpFloorCpu}`);
  console.log(`  database floor: ${databaseFloorCpu}`);
  console.log(`  one-table read of the accounts: ${accountsReadCpu}`);
  console.log(`  the read batched as the API runs it: ${batchedReadCpu}`);
  console.log(`  GET /v1/balances: ${balancesCpu}`);
  console.log(`  a quote and a load: ${loadsCpu}`);
  console.log(
    `loads: ${loadLatencies.length} answered, ${loadFailures} failed or skipped; p50 ${percentileMs(loadLatencies, 0.5).toFixed(1)} ms (after a ${loadWarmUpSeconds} s warm-up at the same rate: p99 ${warmUpP99Ms.toFixed(1)} ms, ${warmUpFailures} failed)`,
  );
  const met =
    balancesRatio >= floorShareTarget &&
    balances.p99Ms < balancesP99MsMax &&
    loadsP99 < loadsP99MsMax &&
    loadFailures === 0 &&
    warmUpFailures === 0 &&
    notStarted === 0;
  console.log(met ? 'targets met' : 'targets NOT met');
} finally {
  await stopAll();
}
