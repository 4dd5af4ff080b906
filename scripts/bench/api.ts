// `npm run bench:api`: the user API's speed beside floors measured in the same run, on the same Node and machine:
//   - HTTP floor: a bare Hono route on @hono/node-server (its own process), at 32 connections (autocannon);
//   - database floor: the endpoint's own balance read (packages/user-balances: one prepared statement joining the
//     user's ledger accounts and cards), through a pooled slonik connection in 32 concurrent loops (no HTTP); the
//     one-table read of the user's accounts is printed beside it;
//   - authenticated GET /v1/balances on the real API process (services/api/src/main.ts), at 32 connections.
//     Target: at least 60% of the lower floor, p99 under 20 ms.
//   - POST /v1/cards/{id}/loads (a quote first, then the load: the ledger pending debit; the workflow start follows
//     the answer) at 50 requests a second, after a 2 s warm-up at that rate. Target: p99 under 100 ms. Printed beside it: from each request to its
//     workflow's start as Temporal recorded it, and every accepted load's workflow must have started.
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
const loadsPerSecond = 50;
const loadSeconds = Number(process.env.BENCH_API_LOAD_SECONDS ?? '10');
const loadsInFlightMax = 200;
const loadWarmUpSeconds = 2;
const loadUsersCount = 25;
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
  const { authorization, userId } = await benchUser(0);
  // Loads are spread over users: one user's loads take turns by design (the limits are checked under a per-user
  // lock), so a single user would measure that queue, not the route.
  const loadUsers = await Promise.all(
    Array.from({ length: loadUsersCount }, (_, index) => benchUser(index + 1)),
  );

  // Database floor: the balance read of a user's accounts, pooled, in `connections` loops.
  const balanceRead = sql.type(
    z.object({
      id: z.bigint(),
      debits_posted: z.bigint(),
      credits_posted: z.bigint(),
      debits_pending: z.bigint(),
    }),
  )`select id, debits_posted, credits_posted, debits_pending from ledger_account where owner_ref = ${userId}`;
  const cannon = (url: string, headers: Record<string, string>, seconds = durationSeconds) =>
    autocannon({ url, connections, duration: seconds, headers });
  // A short warm-up opens the API's pooled connections, so the meter below knows every PostgreSQL backend in use.
  await cannon(`${apiUrl}/v1/balances`, { authorization }, 2);
  const backendPids = await database.pool.anyFirst(
    sql.type(
      z.object({ pid: z.number() }),
    )`select pid from pg_stat_activity where datname = current_database()`,
  );
  console.log(`metering ${backendPids.length} PostgreSQL backends: ${backendPids.join(' ')}`);
  const processes = {
    bench: [process.pid],
    api: [services[1]?.pid ?? 0],
    bare: [services[0]?.pid ?? 0],
    postgres: backendPids,
    redis: pidsNamed('redis-server'),
    temporal: pidsNamed('temporal'),
  };
  /** CPU microseconds per request of each process group over a phase. */
  const cpuPerRequest = (cpuMs: Record<string, number>, requests: number) =>
    Object.entries(cpuMs)
      .filter(([, ms]) => ms > 0)
      .map(([name, ms]) => `${name} ${Math.round((ms * 1000) / requests)}`)
      .join(', ');
  /** A read in `connections` concurrent loops for the phase's duration, with its rate, p99 and CPU per read. */
  async function readLoops(read: () => Promise<unknown>) {
    const meter = startCpuMeter(processes);
    const deadline = performance.now() + durationSeconds * 1000;
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          await read();
          latencies.push(performance.now() - started);
        }
      }),
    );
    return {
      perSecond: latencies.length / durationSeconds,
      p99Ms: percentileMs(latencies, 0.99),
      cpu: cpuPerRequest(meter.stop(), latencies.length),
    };
  }
  // The database floor is the endpoint's own read (the one statement of packages/user-balances, with its row
  // mapping): what GET /v1/balances cannot do without. The one-table read of the user's accounts is printed beside it.
  const userBalances = createUserBalances(database.pool);
  const databaseFloor = await readLoops(() => userBalances.ofUser(userId));
  const accountsRead = await readLoops(() => database.pool.any(balanceRead));

  let meter = startCpuMeter(processes);
  const httpFloor = await cannon(`${bareUrl}/bare`, {});
  const httpFloorCpu = cpuPerRequest(meter.stop(), httpFloor.requests.total);
  meter = startCpuMeter(processes);
  const balances = await cannon(`${apiUrl}/v1/balances`, { authorization });
  const balancesCpu = cpuPerRequest(meter.stop(), balances.requests.total);
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
  meter = startCpuMeter(processes);
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

  const lowerFloor = Math.min(httpFloor.requests.average, databaseFloor.perSecond);
  const widths = [44, 12, 12, 10, 24];
  console.log(
    `\nbench:api on ${connections} connections, ${durationSeconds} s each (Node ${process.version}; Temporal dev server at nice ${temporalNiceness})`,
  );
  console.log(formatRow(['figure', 'per second', 'p99 ms', 'ratio', 'target'], widths));
  console.log(
    formatRow(
      [
        'HTTP floor: bare Hono route',
        Math.round(httpFloor.requests.average),
        httpFloor.latency.p99,
        '1.000',
        '',
      ],
      widths,
    ),
  );
  console.log(
    formatRow(
      [
        "database floor: the endpoint's balance read",
        Math.round(databaseFloor.perSecond),
        databaseFloor.p99Ms.toFixed(2),
        '1.000',
        '',
      ],
      widths,
    ),
  );
  console.log(
    formatRow(
      [
        '  beside it: one-table read of the accounts',
        Math.round(accountsRead.perSecond),
        accountsRead.p99Ms.toFixed(2),
        (accountsRead.perSecond / databaseFloor.perSecond).toFixed(3),
        '',
      ],
      widths,
    ),
  );
  const balancesRatio = balances.requests.average / lowerFloor;
  console.log(
    formatRow(
      [
        'GET /v1/balances (authenticated)',
        Math.round(balances.requests.average),
        balances.latency.p99,
        balancesRatio.toFixed(3),
        `>= ${floorShareTarget} of lower floor, p99 < ${balancesP99MsMax}`,
      ],
      widths,
    ),
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
  console.log(`  database floor: ${databaseFloor.cpu}`);
  console.log(`  one-table read of the accounts: ${accountsRead.cpu}`);
  console.log(`  GET /v1/balances: ${balancesCpu}`);
  console.log(`  a quote and a load: ${loadsCpu}`);
  console.log(
    `loads: ${loadLatencies.length} answered, ${loadFailures} failed or skipped; p50 ${percentileMs(loadLatencies, 0.5).toFixed(1)} ms (after a ${loadWarmUpSeconds} s warm-up at the same rate: p99 ${warmUpP99Ms.toFixed(1)} ms, ${warmUpFailures} failed)`,
  );
  const met =
    balancesRatio >= floorShareTarget &&
    balances.latency.p99 < balancesP99MsMax &&
    loadsP99 < loadsP99MsMax &&
    loadFailures === 0 &&
    warmUpFailures === 0 &&
    notStarted === 0;
  console.log(met ? 'targets met' : 'targets NOT met');
} finally {
  await stopAll();
}
