// `npm run bench:cards`: the money path's latency, with every Cardgate process running as it does in production
// (TRON devnet, card sandbox, API, watcher and worker as separate processes on the real PostgreSQL, Redis and
// Temporal dev server). Issue 5's figures:
//   - from a deposit's finality (the devnet makes its block solidified) to the ledger credit, and to the card loaded
//     (auto-load), p50/p99 over 200 deposits; aims: credit within 1 s, card loaded within 2 s;
//   - webhook acknowledgement latency of POST /webhooks/card-provider; aim p99 < 50 ms.
// Timestamps of the credit and the load are the database's own (ledger_transfer.created_at, card_load.loaded_at).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { sql } from '@cardgate/db';
import { signWebhook } from '@cardgate/card-provider';
import { developmentApiKey, developmentWebhookSecret } from '@cardgate/card-sandbox';
import { findFreePort, findOrStartRedis, findOrStartTemporal } from '@cardgate/local-stack';
import { accountExtendedPublicKey } from '@cardgate/tron';
import { createDepositAddressService } from '@cardgate/deposit-addresses';
import { cardIssueWorkflowId, cardIssueWorkflowType } from '@cardgate/contracts';
import { z } from 'zod';
import { startService, type RunningService } from '../dev/services.ts';
import { developmentApiEnvironment } from '../dev/development-keys.ts';
import { createBenchDatabase } from './database.ts';
import { deleteKeysUnder } from './redis-keys.ts';
import { percentileMs } from './stats.ts';

const depositCount = Number(process.env.BENCH_DEPOSITS ?? '200');
const usersCount = 20;
const webhookCount = Number(process.env.BENCH_WEBHOOKS ?? '1000');
const webhookConcurrency = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? '8');
const webhookRatesPerSecond = (process.env.BENCH_WEBHOOK_RATES ?? '20,100').split(',').map(Number);
const solidityLagBlocks = 18;
const blockIntervalMs = 100;

const database = await createBenchDatabase('cardgate_bench_cards', 8);
const redis = await findOrStartRedis();
const temporal = await findOrStartTemporal({});
const taskQueue = `bench-cards-${Date.now()}`;
const ports = {
  devnet: await findFreePort(),
  sandbox: await findFreePort(),
  api: await findFreePort(),
  worker: await findFreePort(),
};
const urls = {
  devnet: `http://127.0.0.1:${ports.devnet}`,
  sandbox: `http://127.0.0.1:${ports.sandbox}`,
  api: `http://127.0.0.1:${ports.api}`,
};
/**
 * The bench's own Redis keys (queues, event streams, rate limits): the Redis may be the machine's, shared with a
 * running `npm run dev`, whose bot would otherwise take the bench users' notifications.
 */
const redisPrefix = `bench-cards-${Date.now()}`;
const common = {
  DATABASE_URL: database.url,
  REDIS_URL: redis.url,
  API_REDIS_KEY_PREFIX: redisPrefix,
  USER_EVENTS_REDIS_PREFIX: redisPrefix,
  NOTIFICATION_QUEUE_PREFIX: redisPrefix,
  TEMPORAL_ADDRESS: temporal.address,
  TEMPORAL_NAMESPACE: temporal.namespace,
  TEMPORAL_TASK_QUEUE: taskQueue,
  LOG_LEVEL: 'warn',
};
let stopping = false;
const onExit = (name: string, code: number | null) => {
  if (!stopping) console.error(`${name} exited (${String(code)})`);
};
const services: RunningService[] = [
  startService({
    name: 'tron-devnet',
    entry: 'packages/stand-ins/tron-devnet/src/main.ts',
    healthUrl: `${urls.devnet}/health`,
    env: {
      ...common,
      TRON_DEVNET_PORT: String(ports.devnet),
      TRON_DEVNET_BLOCK_INTERVAL_MS: '0',
      TRON_DEVNET_SOLIDITY_LAG_BLOCKS: String(solidityLagBlocks),
    },
    onExit,
  }),
  startService({
    name: 'card-sandbox',
    entry: 'packages/stand-ins/card-sandbox/src/main.ts',
    healthUrl: `${urls.sandbox}/health`,
    env: {
      ...common,
      CARD_SANDBOX_PORT: String(ports.sandbox),
      CARD_SANDBOX_API_KEY: developmentApiKey,
      CARD_SANDBOX_WEBHOOK_SECRET: developmentWebhookSecret,
      CARD_SANDBOX_WEBHOOK_URL: `${urls.api}/webhooks/card-provider`,
    },
    onExit,
  }),
  startService({
    name: 'api',
    entry: 'services/api/src/main.ts',
    healthUrl: `${urls.api}/health`,
    env: {
      ...common,
      ...developmentApiEnvironment(),
      API_PORT: String(ports.api),
      CARD_WEBHOOK_SECRET: developmentWebhookSecret,
    },
    onExit,
  }),
  startService({
    name: 'worker',
    entry: 'services/worker/src/main.ts',
    healthUrl: `http://127.0.0.1:${ports.worker}/health`,
    env: {
      ...common,
      WORKER_HEALTH_PORT: String(ports.worker),
      CARD_PROVIDER_URL: urls.sandbox,
      CARD_PROVIDER_API_KEY: developmentApiKey,
      DEPOSIT_FEE_FIXED_USDT: '0.5',
      DEPOSIT_FEE_BPS: '100',
      DEPOSIT_REVIEW_BELOW_USDT: '5',
      CARD_ISSUE_FEE_USDT: '0',
      USDT_USD_RATE: '0.9995',
      FX_SPREAD_BPS: '150',
      // Far above what the bench loads: it measures the flow, not the limits.
      CARD_LIMIT_PER_LOAD_USD: '1000000',
      CARD_LIMIT_DAILY_USD: '100000000',
      CARD_LIMIT_MONTHLY_USD: '100000000',
      CARD_BALANCE_MAX_USD: '100000000',
    },
    onExit,
  }),
];
await Promise.all(services.map((service) => service.waitHealthy(60_000)));

const admin = async (path: string, payload: unknown) => {
  const response = await fetch(`${urls.devnet}/admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return (await response.json()) as { head: number; solidified: number; txId?: string };
};

// Users with deposit addresses and cards with auto-load.
const addresses = createDepositAddressService({
  pool: database.pool,
  xpub: accountExtendedPublicKey(
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    0,
  ),
  account: 0,
});
const users = await Promise.all(
  Array.from({ length: usersCount }, (_, index) => addresses.assign(`bench-user-${index}`)),
);
const connection = await Connection.connect({ address: temporal.address });
const client = new Client({ connection, namespace: temporal.namespace });
const cards = await Promise.all(
  users.map(async (user) => {
    const cardId = `crd_${randomUUID().replaceAll('-', '')}`;
    const result = await client.workflow.execute(cardIssueWorkflowType, {
      taskQueue,
      workflowId: cardIssueWorkflowId(cardId),
      args: [{ cardId, userId: user.userId, autoLoad: true }],
    });
    return {
      cardId,
      userId: user.userId,
      providerToken: (result as { providerToken: string }).providerToken,
    };
  }),
);
console.log(`${usersCount} users with a card (auto-load) issued`);

// The watcher starts at the current head.
const startBlock = (await admin('produce', { count: 0 })).head + 1;
const watcher = startService({
  name: 'watcher',
  entry: 'services/watcher/src/main.ts',
  healthUrl: 'unused',
  env: {
    ...common,
    TRON_NODE_URLS: urls.devnet,
    WATCHER_START_BLOCK: String(startBlock),
    WATCHER_CHAIN_ID: `bench-${Date.now()}`,
    WATCHER_IDLE_POLL_MS: '100',
    WATCHER_HEALTH_PORT: String(await findFreePort()),
  },
  onExit,
});
services.push(watcher);

// 1. Deposits: one per block, a block every 100 ms; each deposit's finality is the moment its block is solidified.
const finalAtMs = new Map<string, number>();
const waiting: { txId: string; block: number }[] = [];
for (let round = 0; round < depositCount + solidityLagBlocks; round += 1) {
  if (round < depositCount) {
    const { txId, head } = await admin('transfer', {
      to: users[round % users.length]!.base58,
      amountMinor: String(10_000_000 + round),
    });
    waiting.push({ txId: txId!, block: head + 1 });
  }
  const { solidified } = await admin('produce', { count: 1 });
  const now = Date.now();
  while (waiting.length > 0 && waiting[0]!.block <= solidified) finalAtMs.set(waiting.shift()!.txId, now);
  await sleep(blockIntervalMs);
}

const timing = z.object({
  tx_id: z.string(),
  credited_ms: z.string().nullable(),
  loaded_ms: z.string().nullable(),
});
const deadline = Date.now() + 120_000;
let rows: readonly z.infer<typeof timing>[] = [];
for (;;) {
  rows = await database.pool.any(sql.type(timing)`
    select d.tx_id,
      (extract(epoch from t.created_at) * 1000)::int8::text as credited_ms,
      (extract(epoch from l.loaded_at) * 1000)::int8::text as loaded_ms
    from deposit d
    left join ledger_transfer t on t.id = 'deposit:' || d.tx_id || ':' || d.log_index
    left join card_load l on l.id = 'dep-' || d.tx_id || '-' || d.log_index`);
  const done = rows.filter((row) => row.loaded_ms !== null).length;
  if (done >= depositCount || Date.now() > deadline) break;
  await sleep(200);
}
// Where the time goes: the watcher's part (the deposit marked final, its outbox row handed to Temporal) against the
// workflow's (credit, then card load).
const watcherTiming = z.object({
  tx_id: z.string(),
  final_ms: z.string().nullable(),
  handed_over_ms: z.string().nullable(),
});
const watcherRows = await database.pool.any(sql.type(watcherTiming)`
  select d.tx_id, (extract(epoch from d.final_at) * 1000)::int8::text as final_ms,
    (select (extract(epoch from max(o.dispatched_at)) * 1000)::int8::text
     from deposit_outbox o where o.tx_id = d.tx_id and o.log_index = d.log_index and o.event = 'final') as handed_over_ms
  from deposit d`);
const markedFinalMs: number[] = [];
const handedOverMs: number[] = [];
const sinceFinality = (at: number, value: string | null): number =>
  value === null ? Number.POSITIVE_INFINITY : Number(value) - at;
for (const row of watcherRows) {
  const finalAt = finalAtMs.get(row.tx_id);
  if (finalAt === undefined) continue;
  markedFinalMs.push(sinceFinality(finalAt, row.final_ms));
  handedOverMs.push(sinceFinality(finalAt, row.handed_over_ms));
}
const creditMs: number[] = [];
const loadedMs: number[] = [];
for (const row of rows) {
  const finalAt = finalAtMs.get(row.tx_id);
  if (finalAt === undefined) continue;
  creditMs.push(row.credited_ms === null ? Number.POSITIVE_INFINITY : Number(row.credited_ms) - finalAt);
  loadedMs.push(row.loaded_ms === null ? Number.POSITIVE_INFINITY : Number(row.loaded_ms) - finalAt);
}
const figure = (samples: number[]) =>
  `p50 ${percentileMs(samples, 0.5).toFixed(0)} ms, p99 ${percentileMs(samples, 0.99).toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms`;
console.log(
  `deposits: ${creditMs.length} of ${depositCount} final (watcher polls every 100 ms; blocks every ${blockIntervalMs} ms)`,
);
console.log(`finality → ledger credit: ${figure(creditMs)}  (aim ≤ 1000 ms)`);
console.log(`  of which finality → watcher marks it final: ${figure(markedFinalMs)}`);
console.log(`           finality → handed over to Temporal: ${figure(handedOverMs)}`);
console.log(`finality → card loaded:   ${figure(loadedMs)}  (aim ≤ 2000 ms)`);

// 2. Webhook acknowledgement: signed RETURN events for the cards, sent by this process (each one also starts a
// transaction workflow, so the worker and Temporal are busy meanwhile, as they would be).
const ackMs: number[] = [];
let next = 0;
const sendOne = async (index: number) => {
  const card = cards[index % cards.length]!;
  const eventId = `evt_bench_${index}_${randomUUID().slice(0, 8)}`;
  const body = JSON.stringify({
    event_id: eventId,
    event_type: 'card_transaction.updated',
    created: new Date().toISOString(),
    payload: {
      transaction_token: `txn_bench_${index}`,
      card_token: card.providerToken,
      kind: 'RETURN',
      result: 'APPROVED',
      sequence: 1,
      amount: '1',
      currency: 'USD',
    },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const response = await fetch(`${urls.api}/webhooks/card-provider`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(developmentWebhookSecret, eventId, timestamp, body),
    },
    body,
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  ackMs.push(performance.now() - started);
};
// Open loop first (a steady rate, as a provider sends them: latency without self-made queueing), then a burst with
// `webhookConcurrency` in flight at all times (a saturation figure: each one also starts a workflow on this machine).
let sent = 0;
for (const rate of webhookRatesPerSecond) {
  const count = Math.min(webhookCount, rate * 15);
  const rateStarted = performance.now();
  const first = sent;
  sent += count;
  ackMs.length = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      await sleep(Math.max(0, rateStarted + (index * 1000) / rate - performance.now()));
      await sendOne(first + index);
    }),
  );
  console.log(
    `webhook acknowledged at ${rate}/s: ${figure(ackMs)} over ${ackMs.length} deliveries  (aim p99 < 50 ms)`,
  );
}
ackMs.length = 0;
next = sent;
await Promise.all(
  Array.from({ length: webhookConcurrency }, async () => {
    for (let index = next++; index < sent + webhookCount; index = next++) await sendOne(index);
  }),
);
console.log(
  `webhook acknowledged in a burst, ${webhookConcurrency} in flight: ${figure(ackMs)} over ${ackMs.length} deliveries`,
);

stopping = true;
await Promise.allSettled(services.map((service) => service.stop()));
await connection.close();
await temporal.stop();
const keys = new Redis(redis.url, { maxRetriesPerRequest: 2 });
await deleteKeysUnder(keys, redisPrefix);
keys.disconnect();
await redis.stop();
await database.close();
