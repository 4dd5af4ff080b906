// `npm run dev`: finds or starts PostgreSQL, Redis and Temporal, applies migrations, starts the Cardgate processes,
// waits until each answers its health check, prints where everything is, restarts a process that dies (see
// supervisor.ts), and stops everything it started on Ctrl-C, SIGINT or SIGTERM. `npm run dev -- --fresh` first deletes
// the local world (see world.ts) and starts a new one.
import { Connection, Client } from '@temporalio/client';
import { migrate } from '@cardgate/db';
import {
  ensureDatabase,
  findOrStartPostgres,
  findOrStartRedis,
  startTemporalDevServer,
  withDatabase,
  type PostgresServer,
  type RedisServer,
} from '@cardgate/local-stack';
import { developmentApiKey, developmentWebhookSecret } from '@cardgate/card-sandbox';
import {
  developmentApiEnvironment,
  developmentPrices,
  developmentProgramLimits,
} from './development-keys.ts';
import { developmentUserId, miniAppUrl, signDevelopmentInitData } from './mini-app-url.ts';
import { devnetBalanceCheckerContract } from '@cardgate/tron-devnet';
import {
  devPaths,
  isProcessAlive,
  readDevPid,
  readDevState,
  removeDevState,
  shownPath,
  writeDevPid,
  writeDevState,
  type DevState,
} from './state.ts';
import { startNodeProcess, waitHealthy } from './services.ts';
import { assertPortFree } from './ports.ts';
import { standInEntries } from './stand-ins.ts';
import { telegramSetup } from './telegram.ts';
import { superviseProcess, type SupervisedProcess, type SupervisorOptions } from './supervisor.ts';
import {
  createWorld,
  databaseHasWorld,
  databaseNameOf,
  deleteWorld,
  freshStartRefusal,
  readWorld,
} from './world.ts';

const say = (line: string): void => void process.stdout.write(`[dev] ${line}\n`);
// A reader that went away (a closed terminal, `| tee` ended by the same Ctrl-C) must not end the stop half-way.
process.stdout.on('error', () => undefined);
const write = (line: string): void => void process.stdout.write(`${line}\n`);

const usage = 'usage: npm run dev [-- --fresh]   (--fresh: delete the local world and start a new one)';
const flags = process.argv.slice(2);
const unknownFlags = flags.filter((flag) => flag !== '--fresh');
if (unknownFlags.length > 0 || flags.includes('--help')) {
  say(usage);
  process.exit(unknownFlags.every((flag) => flag === '--help') ? 0 : 64);
}
const fresh = flags.includes('--fresh');

const previousPid = readDevPid();
if (previousPid !== undefined && previousPid !== process.pid && isProcessAlive(previousPid)) {
  say(`Cardgate is already running (pid ${previousPid}). Nothing was started.`);
  const previous = readDevState();
  if (previous) printSummary(previous);
  say(`Stop it with Ctrl-C in its terminal, or: kill ${previousPid}`);
  process.exit(0);
}
cleanUpLeftovers(readDevState());
writeDevPid(process.pid);
say(
  `pid ${process.pid} (in ${shownPath(devPaths.pidFile)}): Ctrl-C here, or kill -TERM ${process.pid}, stops everything`,
);

const ports = {
  api: Number(process.env.API_PORT ?? 8787),
  watcher: Number(process.env.WATCHER_HEALTH_PORT ?? 8788),
  worker: Number(process.env.WORKER_HEALTH_PORT ?? 8789),
  tronDevnet: Number(process.env.TRON_DEVNET_PORT ?? 8090),
  cardSandbox: Number(process.env.CARD_SANDBOX_PORT ?? 8091),
  telegramStandIn: Number(process.env.TELEGRAM_STAND_IN_PORT ?? 8092),
  bot: Number(process.env.BOT_HEALTH_PORT ?? 8790),
  temporal: Number(process.env.TEMPORAL_PORT ?? 7233),
  temporalUi: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
};
const readyTimeoutMs = 60_000;

const started: {
  postgres?: PostgresServer;
  redis?: RedisServer;
  temporal?: SupervisedProcess;
  standIns: SupervisedProcess[];
  services: SupervisedProcess[];
} = { standIns: [], services: [] };
let stopping = false;
// Written with every (re)start from the first one on, so a run that is killed can be cleaned up after by the next.
let devState: DevState = {
  pid: process.pid,
  startedAt: new Date().toISOString(),
  childPids: [],
  processes: {},
  endpoints: {},
};

/** Stops the services, then the stand-ins, then the servers they used: each group after the ones that use it. */
async function stopEverything(exitCode: number): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  say('stopping…');
  await Promise.allSettled(started.services.map((service) => service.stop()));
  await Promise.allSettled(started.standIns.map((service) => service.stop()));
  await started.temporal?.stop().catch(() => undefined);
  await started.redis?.stop().catch(() => undefined);
  await started.postgres?.stop().catch(() => undefined);
  removeDevState();
  say('stopped');
  process.exit(exitCode);
}

// A Ctrl-C reaches this process twice: from the terminal (it signals the whole foreground group, npm included) and
// from npm, which forwards SIGINT and SIGTERM to its script. So a repeat within this time is the same request; a
// later one means "kill at once".
const repeatSignalMsMin = 1_000;
let firstSignalAtMs: number | undefined;
const onSignal = (signal: NodeJS.Signals): void => {
  if (!stopping) {
    firstSignalAtMs = Date.now();
    say(`${signal}: stopping everything (send it again to kill at once)`);
    void stopEverything(0);
    return;
  }
  if (firstSignalAtMs === undefined || Date.now() - firstSignalAtMs < repeatSignalMsMin) return;
  say(`${signal} again: killing what is still running`);
  for (const process_ of [...started.services, ...started.standIns, started.temporal]) process_?.kill();
  removeDevState();
  process.exit(1);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// The terminal closed: nobody is left to read the output or press Ctrl-C.
process.on('SIGHUP', onSignal);

const supervisorOptions: SupervisorOptions = {
  say,
  onGiveUp: () => void stopEverything(1),
  onStarted: () => {
    if (!stopping) writeDevState((devState = { ...devState, ...livePids() }));
  },
};

try {
  for (const [name, port, variable] of [
    ['api', ports.api, 'API_PORT'],
    ['watcher health', ports.watcher, 'WATCHER_HEALTH_PORT'],
    ['worker health', ports.worker, 'WORKER_HEALTH_PORT'],
    ['TRON devnet', ports.tronDevnet, 'TRON_DEVNET_PORT'],
    ['card sandbox', ports.cardSandbox, 'CARD_SANDBOX_PORT'],
    ['telegram stand-in', ports.telegramStandIn, 'TELEGRAM_STAND_IN_PORT'],
    ['bot health', ports.bot, 'BOT_HEALTH_PORT'],
  ] as const)
    await assertPortFree(name, port, variable);

  started.postgres = await findOrStartPostgres();
  const databaseUrl = process.env.DATABASE_URL ?? withDatabase(started.postgres.adminUrl, 'cardgate');
  const world = await prepareWorld(started.postgres.adminUrl, databaseUrl);
  await ensureDatabase(started.postgres.adminUrl, databaseNameOf(databaseUrl));
  const migrated = await migrate(databaseUrl);
  say(
    `PostgreSQL (${started.postgres.source}): migrations applied ${migrated.applied.length}, already ${migrated.alreadyApplied}`,
  );

  started.redis = await findOrStartRedis();
  say(`Redis (${started.redis.source}): ${started.redis.url}`);

  const temporal = await startSupervisedTemporal();
  say(`Temporal (${temporal.source}): ${temporal.address}`);

  const commonEnvironment = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: started.redis.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const devnetUrl = `http://127.0.0.1:${ports.tronDevnet}`;
  const sandboxUrl = `http://127.0.0.1:${ports.cardSandbox}`;
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  // The bot talks to Telegram when BOT_TOKEN is given, else to the local Bot API stand-in with its token.
  const telegram = telegramSetup(process.env.BOT_TOKEN, ports.telegramStandIn);
  interface Definition {
    readonly name: string;
    readonly entry: string;
    readonly healthUrl: string;
    readonly env: Record<string, string>;
  }
  const standIns: Definition[] = [
    {
      name: 'tron-devnet',
      entry: standInEntries.tronDevnet,
      healthUrl: `${devnetUrl}/health`,
      env: {
        TRON_DEVNET_PORT: String(ports.tronDevnet),
        TRON_DEVNET_BLOCK_INTERVAL_MS: process.env.TRON_DEVNET_BLOCK_INTERVAL_MS ?? '1000',
        TRON_DEVNET_STATE_DIR: devPaths.tronDevnetStateDirectory,
      },
    },
    {
      name: 'card-sandbox',
      entry: standInEntries.cardSandbox,
      healthUrl: `${sandboxUrl}/health`,
      env: {
        CARD_SANDBOX_PORT: String(ports.cardSandbox),
        CARD_SANDBOX_API_KEY: developmentApiKey,
        CARD_SANDBOX_WEBHOOK_SECRET: developmentWebhookSecret,
        CARD_SANDBOX_WEBHOOK_URL: `${apiUrl}/webhooks/card-provider`,
        CARD_SANDBOX_STATE_DIR: devPaths.cardSandboxStateDirectory,
      },
    },
    ...telegram.standIns,
  ];
  const services: Definition[] = [
    {
      name: 'api',
      entry: 'services/api/src/main.ts',
      healthUrl: `${apiUrl}/health`,
      env: {
        API_PORT: String(ports.api),
        CARD_WEBHOOK_SECRET: developmentWebhookSecret,
        ...developmentApiEnvironment(),
      },
    },
    {
      name: 'watcher',
      entry: 'services/watcher/src/main.ts',
      healthUrl: `http://127.0.0.1:${ports.watcher}/health`,
      env: {
        WATCHER_HEALTH_PORT: String(ports.watcher),
        TRON_NODE_URLS: devnetUrl,
        WATCHER_START_BLOCK: '0',
        WATCHER_CHAIN_ID: world.chainId,
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
        ...developmentPrices(),
        ...developmentProgramLimits(),
        // The hourly reconciliation Schedule reads the devnet like the watcher; a devnet block is a second, so 60
        // blocks give the watcher and the worker a minute to credit before an uncredited deposit is a difference.
        TRON_NODE_URLS: devnetUrl,
        WATCHER_CHAIN_ID: world.chainId,
        WATCHER_START_BLOCK: '0',
        RECONCILE_CREDIT_GRACE_BLOCKS: process.env.RECONCILE_CREDIT_GRACE_BLOCKS ?? '60',
        RECONCILE_BALANCE_CHECKER_CONTRACT: devnetBalanceCheckerContract,
      },
    },
    {
      name: 'bot',
      entry: 'services/bot/src/main.ts',
      healthUrl: `http://127.0.0.1:${ports.bot}/health`,
      env: {
        BOT_HEALTH_PORT: String(ports.bot),
        MINI_APP_URL: process.env.MINI_APP_URL ?? `${apiUrl}/app/`,
        ...telegram.botEnvironment,
      },
    },
  ];
  // The environment is fixed here, once: every restart of a process gets the same variables and ports.
  const supervise = (definition: Definition): SupervisedProcess => {
    const env = { ...commonEnvironment, ...definition.env };
    return superviseProcess(
      {
        name: definition.name,
        start: () =>
          Promise.resolve(startNodeProcess({ name: definition.name, entry: definition.entry, env, write })),
        waitReady: (handle) => waitHealthy(definition.name, definition.healthUrl, handle, readyTimeoutMs),
      },
      supervisorOptions,
    );
  };
  // The stand-ins for the outside world first: the watcher and the worker would otherwise start by logging refused
  // connections to a node or provider that is a moment from listening.
  started.standIns = standIns.map(supervise);
  await Promise.all(started.standIns.map((service) => service.ready));
  started.services = services.map(supervise);
  await Promise.all(started.services.map((service) => service.ready));
  await proveWorkerRoundTrip(temporal.address, temporal.namespace);

  const aliceInTelegram = {
    id: developmentUserId('alice'),
    firstName: 'alice',
    username: 'alice',
    languageCode: 'en',
  };
  devState = {
    ...devState,
    ...livePids(),
    endpoints: {
      API: `http://127.0.0.1:${ports.api}  (health: /health)`,
      'Watcher health': `http://127.0.0.1:${ports.watcher}/health`,
      'Worker health': `http://127.0.0.1:${ports.worker}/health`,
      'TRON devnet': `${devnetUrl}  (send USDT: node ${standInEntries.tronDevnetSendUsdt} <address> <amount>)`,
      'Card sandbox': `${sandboxUrl}  (issue a card: node scripts/dev/issue-card.ts <userId>)`,
      'Mini App': `${miniAppUrl({ appUrl: `${apiUrl}/app/`, user: aliceInTelegram })}`,
      'API docs': `${apiUrl}/docs  (OpenAPI: ${apiUrl}/openapi.json)`,
      'initData (alice)': `${signDevelopmentInitData(aliceInTelegram)}  (valid 1 h; anew: node scripts/dev/mini-app-url.ts --init-data)`,
      'Bot health': `http://127.0.0.1:${ports.bot}/health`,
      ...telegram.endpoints,
      // Prometheus text format; infra/prometheus/prometheus.yml scrapes these ports.
      'API metrics': `${apiUrl}/metrics`,
      'Watcher metrics': `http://127.0.0.1:${ports.watcher}/metrics`,
      'Worker metrics': `http://127.0.0.1:${ports.worker}/metrics`,
      'Bot metrics': `http://127.0.0.1:${ports.bot}/metrics`,
      'Temporal gRPC': temporal.address,
      'Temporal UI': temporal.uiUrl ?? '(external server: see its own UI)',
      PostgreSQL: redactPassword(databaseUrl),
      Redis: started.redis.url,
      World: `${world.chainId} since ${world.createdAt}  (start afresh: npm run dev -- --fresh)`,
    },
  };
  writeDevState(devState);
  printSummary(devState);
  say(`ready. Ctrl-C, or kill -TERM ${process.pid}, stops everything this command started.`);
} catch (error) {
  if (!stopping) {
    say(`start-up failed: ${(error as Error).message}`);
    await stopEverything(1);
  }
}

/**
 * With --fresh, deletes the old world first. Without it, resumes the recorded world, and refuses to start when the
 * database records a world that `world.json` does not name (it would follow a chain that is not the devnet's).
 */
async function prepareWorld(
  adminUrl: string,
  databaseUrl: string,
): Promise<{ chainId: string; createdAt: string }> {
  const input = { adminUrl, databaseUrl, externalTemporalAddress: process.env.TEMPORAL_ADDRESS };
  if (fresh) {
    await deleteWorld(input, say);
    return createWorld();
  }
  const world = readWorld();
  if (world) {
    say(`resuming the local world ${world.chainId} (since ${world.createdAt})`);
    return world;
  }
  if (await databaseHasWorld(databaseUrl)) {
    const refusal = freshStartRefusal(input);
    throw new Error(
      `database ${databaseNameOf(databaseUrl)} records a chain or cards, but ${shownPath(devPaths.worldFile)} names no world: ` +
        (refusal ?? 'start afresh with `npm run dev -- --fresh` (it drops that database)'),
    );
  }
  const created = createWorld();
  say(`a new local world ${created.chainId}`);
  return created;
}

/** The Temporal dev server on its SQLite file, supervised like the rest: restarted on the same file and ports. */
async function startSupervisedTemporal(): Promise<{
  address: string;
  namespace: string;
  source: string;
  uiUrl?: string;
}> {
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  if (process.env.TEMPORAL_ADDRESS)
    return { address: process.env.TEMPORAL_ADDRESS, namespace, source: 'TEMPORAL_ADDRESS' };
  let uiUrl: string | undefined;
  started.temporal = superviseProcess(
    {
      name: 'temporal',
      start: async () => {
        const server = await startTemporalDevServer({
          port: ports.temporal,
          uiPort: ports.temporalUi,
          namespace,
          databaseFile: devPaths.temporalDatabaseFile,
          logFile: devPaths.temporalLogFile,
          detached: true,
          log: say,
        });
        uiUrl = server.uiUrl;
        return {
          pid: server.pid,
          exited: server.exited,
          stop: server.stop,
          kill: () => {
            if (server.pid !== undefined && isProcessAlive(server.pid)) process.kill(server.pid, 'SIGKILL');
          },
        };
      },
      // The start resolves only once the server answers and has its namespace.
      waitReady: () => Promise.resolve(),
    },
    supervisorOptions,
  );
  await started.temporal.ready;
  return {
    address: `127.0.0.1:${ports.temporal}`,
    namespace,
    source: 'dev server',
    ...(uiUrl ? { uiUrl } : {}),
  };
}

function livePids(): Pick<DevState, 'childPids' | 'processes'> {
  const processes: Record<string, number> = {};
  for (const process_ of [
    ...started.services,
    ...started.standIns,
    ...(started.temporal ? [started.temporal] : []),
  ]) {
    const pid = process_.pid();
    if (pid !== undefined) processes[process_.name] = pid;
  }
  return { childPids: Object.values(processes), processes };
}

async function proveWorkerRoundTrip(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
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

/** A run that was killed (SIGKILL) could not stop its children, which run in process groups of their own. */
function cleanUpLeftovers(state: DevState | undefined): void {
  if (!state) return;
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
