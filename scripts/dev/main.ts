// `npm run dev`: finds or starts PostgreSQL, Redis and Temporal, applies migrations, starts the Cardgate processes,
// waits until each answers its health check, prints where everything is, and stops everything it started on Ctrl-C.
import { Connection, Client } from '@temporalio/client';
import { migrate } from '@cardgate/db';
import {
  ensureDatabase,
  findOrStartPostgres,
  findOrStartRedis,
  findOrStartTemporal,
  withDatabase,
  stateDirectory,
  type PostgresServer,
  type RedisServer,
  type TemporalServer,
} from '@cardgate/local-stack';
import { join } from 'node:path';
import { readDevState, removeDevState, writeDevState, isProcessAlive, type DevState } from './state.ts';
import { startService, type RunningService } from './services.ts';
import { assertPortFree } from './ports.ts';
import { developmentApiKey, developmentWebhookSecret } from '@cardgate/card-sandbox';

const say = (line: string): void => void process.stdout.write(`[dev] ${line}\n`);

const previous = readDevState();
if (previous && isProcessAlive(previous.pid)) {
  say(
    `Cardgate is already running (pid ${previous.pid}, started ${previous.startedAt}). Nothing was started.`,
  );
  printSummary(previous);
  say('Stop it with Ctrl-C in its terminal, or: kill ' + String(previous.pid));
  process.exit(0);
}
if (previous) cleanUpLeftovers(previous);

const ports = {
  api: Number(process.env.API_PORT ?? 8787),
  watcher: Number(process.env.WATCHER_HEALTH_PORT ?? 8788),
  worker: Number(process.env.WORKER_HEALTH_PORT ?? 8789),
  tronDevnet: Number(process.env.TRON_DEVNET_PORT ?? 8090),
  cardSandbox: Number(process.env.CARD_SANDBOX_PORT ?? 8091),
  temporal: Number(process.env.TEMPORAL_PORT ?? 7233),
  temporalUi: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
};

const started: {
  postgres?: PostgresServer;
  redis?: RedisServer;
  temporal?: TemporalServer;
  services: RunningService[];
} = {
  services: [],
};
let stopping = false;

async function stopEverything(exitCode: number): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  say('stopping…');
  await Promise.allSettled(started.services.map((service) => service.stop()));
  await started.temporal?.stop().catch(() => undefined);
  await started.redis?.stop().catch(() => undefined);
  await started.postgres?.stop().catch(() => undefined);
  removeDevState();
  say('stopped');
  process.exit(exitCode);
}
process.on('SIGINT', () => void stopEverything(0));
process.on('SIGTERM', () => void stopEverything(0));

try {
  for (const [name, port, variable] of [
    ['api', ports.api, 'API_PORT'],
    ['watcher health', ports.watcher, 'WATCHER_HEALTH_PORT'],
    ['worker health', ports.worker, 'WORKER_HEALTH_PORT'],
    ['TRON devnet', ports.tronDevnet, 'TRON_DEVNET_PORT'],
    ['card sandbox', ports.cardSandbox, 'CARD_SANDBOX_PORT'],
  ] as const)
    await assertPortFree(name, port, variable);

  started.postgres = await findOrStartPostgres();
  const databaseUrl = process.env.DATABASE_URL ?? withDatabase(started.postgres.adminUrl, 'cardgate');
  if (!process.env.DATABASE_URL) await ensureDatabase(started.postgres.adminUrl, 'cardgate');
  const migrated = await migrate(databaseUrl);
  say(
    `PostgreSQL (${started.postgres.source}): migrations applied ${migrated.applied.length}, already ${migrated.alreadyApplied}`,
  );

  started.redis = await findOrStartRedis();
  say(`Redis (${started.redis.source}): ${started.redis.url}`);

  started.temporal = await findOrStartTemporal({
    port: ports.temporal,
    uiPort: ports.temporalUi,
    databaseFile: join(stateDirectory, 'temporal.sqlite'),
    logFile: join(stateDirectory, 'temporal.log'),
    log: say,
  });
  say(`Temporal (${started.temporal.source}): ${started.temporal.address}`);

  const commonEnvironment = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: started.redis.url,
    TEMPORAL_ADDRESS: started.temporal.address,
    TEMPORAL_NAMESPACE: started.temporal.namespace,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const onUnexpectedExit = (name: string, code: number | null): void => {
    if (stopping) return;
    say(`${name} exited unexpectedly (code ${String(code)}); stopping everything`);
    void stopEverything(1);
  };
  const devnetUrl = `http://127.0.0.1:${ports.tronDevnet}`;
  const sandboxUrl = `http://127.0.0.1:${ports.cardSandbox}`;
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const definitions: { name: string; entry: string; healthUrl: string; env: Record<string, string> }[] = [
    {
      name: 'tron-devnet',
      entry: 'packages/stand-ins/tron-devnet/src/main.ts',
      healthUrl: `${devnetUrl}/health`,
      env: {
        TRON_DEVNET_PORT: String(ports.tronDevnet),
        TRON_DEVNET_BLOCK_INTERVAL_MS: process.env.TRON_DEVNET_BLOCK_INTERVAL_MS ?? '1000',
      },
    },
    {
      name: 'card-sandbox',
      entry: 'packages/stand-ins/card-sandbox/src/main.ts',
      healthUrl: `${sandboxUrl}/health`,
      env: {
        CARD_SANDBOX_PORT: String(ports.cardSandbox),
        CARD_SANDBOX_API_KEY: developmentApiKey,
        CARD_SANDBOX_WEBHOOK_SECRET: developmentWebhookSecret,
        CARD_SANDBOX_WEBHOOK_URL: `${apiUrl}/webhooks/card-provider`,
      },
    },
    {
      name: 'api',
      entry: 'services/api/src/main.ts',
      healthUrl: `${apiUrl}/health`,
      env: { API_PORT: String(ports.api), CARD_WEBHOOK_SECRET: developmentWebhookSecret },
    },
    {
      name: 'watcher',
      entry: 'services/watcher/src/main.ts',
      healthUrl: `http://127.0.0.1:${ports.watcher}/health`,
      env: {
        WATCHER_HEALTH_PORT: String(ports.watcher),
        TRON_NODE_URLS: devnetUrl,
        WATCHER_START_BLOCK: '0',
        WATCHER_CHAIN_ID: `devnet-${Date.now()}`,
      },
    },
    {
      name: 'worker',
      entry: 'services/worker/src/main.ts',
      healthUrl: `http://127.0.0.1:${ports.worker}/health`,
      env: {
        WORKER_HEALTH_PORT: String(ports.worker),
        CARD_PROVIDER_URL: sandboxUrl,
        CARD_PROVIDER_API_KEY: developmentApiKey,
        // Development prices: 0.5 USDT + 1% per deposit, review below 5 USDT, 2 USDT per card, 1.5% FX spread.
        DEPOSIT_FEE_FIXED_USDT: process.env.DEPOSIT_FEE_FIXED_USDT ?? '0.5',
        DEPOSIT_FEE_BPS: process.env.DEPOSIT_FEE_BPS ?? '100',
        DEPOSIT_REVIEW_BELOW_USDT: process.env.DEPOSIT_REVIEW_BELOW_USDT ?? '5',
        CARD_ISSUE_FEE_USDT: process.env.CARD_ISSUE_FEE_USDT ?? '2',
        USDT_USD_RATE: process.env.USDT_USD_RATE ?? '0.9995',
        FX_SPREAD_BPS: process.env.FX_SPREAD_BPS ?? '150',
      },
    },
  ];
  const start = (definition: (typeof definitions)[number]): RunningService =>
    startService({
      ...definition,
      env: { ...commonEnvironment, ...definition.env },
      onExit: onUnexpectedExit,
    });
  // The stand-ins for the outside world first: the watcher and the worker would otherwise start by logging refused
  // connections to a node or provider that is a moment from listening.
  const standInNames = new Set(['tron-devnet', 'card-sandbox']);
  const standIns = definitions.filter((definition) => standInNames.has(definition.name)).map(start);
  started.services = standIns;
  await Promise.all(standIns.map((service) => service.waitHealthy(60_000)));
  const services = definitions.filter((definition) => !standInNames.has(definition.name)).map(start);
  started.services = [...standIns, ...services];
  await Promise.all(services.map((service) => service.waitHealthy(60_000)));
  await proveWorkerRoundTrip(started.temporal);

  const state: DevState = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    childPids: [...started.services.map((service) => service.pid), started.temporal.pid].filter(
      (pid): pid is number => pid !== undefined,
    ),
    endpoints: {
      API: `http://127.0.0.1:${ports.api}  (health: /health)`,
      'Watcher health': `http://127.0.0.1:${ports.watcher}/health`,
      'Worker health': `http://127.0.0.1:${ports.worker}/health`,
      'TRON devnet': `${devnetUrl}  (send USDT: node packages/stand-ins/tron-devnet/src/send-usdt.ts <address> <amount>)`,
      'Card sandbox': `${sandboxUrl}  (issue a card: node scripts/dev/issue-card.ts <userId>)`,
      'Watcher metrics': `http://127.0.0.1:${ports.watcher}/metrics`,
      'Temporal gRPC': started.temporal.address,
      'Temporal UI': started.temporal.uiUrl ?? '(external server: see its own UI)',
      PostgreSQL: redactPassword(databaseUrl),
      Redis: started.redis.url,
    },
  };
  writeDevState(state);
  printSummary(state);
  say('Ctrl-C stops everything this command started.');
} catch (error) {
  say(`start-up failed: ${(error as Error).message}`);
  await stopEverything(1);
}

async function proveWorkerRoundTrip(temporal: TemporalServer): Promise<void> {
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection, namespace: temporal.namespace });
    const result = await client.workflow.execute('healthCheckWorkflow', {
      taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'cardgate',
      workflowId: `dev-health-check-${Date.now()}`,
      args: [{ service: 'dev' }],
      workflowExecutionTimeout: '30 seconds',
    });
    say(`worker round trip through Temporal: ok (${JSON.stringify(result)})`);
  } finally {
    await connection.close();
  }
}

function printSummary(state: DevState): void {
  const width = Math.max(...Object.keys(state.endpoints).map((name) => name.length));
  for (const [name, value] of Object.entries(state.endpoints)) say(`  ${name.padEnd(width)}  ${value}`);
}

function cleanUpLeftovers(state: DevState): void {
  const alive = state.childPids.filter(isProcessAlive);
  if (alive.length > 0) {
    say(`a previous run did not stop cleanly; ending its leftover processes ${alive.join(', ')}`);
    for (const pid of alive) process.kill(pid, 'SIGTERM');
  }
  removeDevState();
}

function redactPassword(url: string): string {
  return url.replace(/(:\/\/[^:/]*:)[^@/]*@/, '$1***@');
}
