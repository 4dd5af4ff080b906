// The worker process: serves Cardgate's Temporal workflows and activities, with a health endpoint beside it.
import { Hono } from 'hono';
import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { Redis } from 'ioredis';
import { createLogger, createTemporalLogger, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { createDatabasePool, pingDatabase } from '@cardgate/db';
import { createHttpCardProvider } from '@cardgate/card-provider';
import { createLedger } from '@cardgate/ledger';
import { Queue } from 'bullmq';
import {
  createHealthRoutes,
  redisHealthCheck,
  runHealthChecks,
  serveApp,
  temporalHealthCheck,
} from '@cardgate/health';
import { createMetricsRoutes } from '@cardgate/metrics';
import { createActivities } from './activities/index.ts';
import { createWorker } from './worker.ts';
import { cardProviderHealthCheck } from './readiness.ts';
import { moneySettingsFrom, workerEnvironment } from './env.ts';
import { notificationQueueName } from '@cardgate/contracts';
import { createUserEventPublisher } from '@cardgate/user-events';
import { Client, Connection } from '@temporalio/client';
import { createReconciler, createReconciliationStore, reconcilerOptionsFrom } from '@cardgate/reconciliation';
import { createWorkerMetrics } from './metrics.ts';
import { ensureReconciliationSchedule } from './reconciliation-schedule.ts';
import { cardLoadUnfinishedForMs, ensureCardLoadSweepSchedule } from './card-load-sweep-schedule.ts';

const environment = loadEnvOrExit(workerEnvironment);
const logger = createLogger({ service: 'worker', level: environment.LOG_LEVEL });
// The SDK's lines, and the native core's (forward), as JSON lines through this process's logger. No shutdown signals
// of the SDK's own: onShutdown below stops the worker; the SDK's handler took a SIGTERM that came during start-up,
// before there was a worker to stop, and the process went on starting (npm run dev waited out its grace period).
Runtime.install({
  shutdownSignals: [],
  logger: createTemporalLogger(logger, { levelMin: 'WARN' }),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
});

const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  applicationName: 'cardgate-worker',
});
const redis = new Redis(environment.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
await redis.connect();
const notifications = new Queue(notificationQueueName, {
  connection: redis,
  prefix: environment.NOTIFICATION_QUEUE_PREFIX,
});
const connection = await NativeConnection.connect({ address: environment.TEMPORAL_ADDRESS });
const provider = createHttpCardProvider({
  baseUrl: environment.CARD_PROVIDER_URL,
  apiKey: environment.CARD_PROVIDER_API_KEY,
  timeoutMs: environment.CARD_PROVIDER_TIMEOUT_MS,
});
const tronNodeUrls = environment.TRON_NODE_URLS;
const reconciler = tronNodeUrls
  ? createReconciler(reconcilerOptionsFrom({ ...environment, TRON_NODE_URLS: tronNodeUrls }, pool))
  : undefined;
// The checks are defined before the worker exists; the Temporal one asks for it when it runs.
let workerState: () => string = () => 'STARTING';
const healthChecks = {
  database: () => pingDatabase(pool),
  redis: redisHealthCheck(redis),
  // The worker's own state says only that it has not stopped; the server is asked as well.
  temporal: async () => {
    if (workerState() !== 'RUNNING') throw new Error(`worker is ${workerState()}`);
    await temporalHealthCheck(connection)();
  },
  cardProvider: cardProviderHealthCheck(provider),
};
const reconciliationStore = createReconciliationStore(pool);
const metrics = createWorkerMetrics({
  runHealthChecks: () => runHealthChecks(healthChecks),
  notificationJobCounts: (...states) => notifications.getJobCounts(...states),
  lastReconciliationRun: () => reconciliationStore.lastRunFigures(),
});
/** EX_SOFTWARE: an internal error; not 78 (configuration), which the dev supervisor does not restart. */
const brokenInvariantExitCode = 70;
// The activities' own client (the card load sweep starts workflows): over the worker's native connection.
const client = new Client({ connection, namespace: environment.TEMPORAL_NAMESPACE });
const worker = await createWorker({
  connection,
  namespace: environment.TEMPORAL_NAMESPACE,
  taskQueue: environment.TEMPORAL_TASK_QUEUE,
  recordOutcome: metrics.recordOutcome,
  activities: createActivities({
    pool,
    logger,
    ledger: createLedger({ pool, onBatch: metrics.ledgerObserver }),
    provider,
    notifications,
    userEvents: createUserEventPublisher({ redis, keyPrefix: environment.USER_EVENTS_REDIS_PREFIX }),
    money: moneySettingsFrom(environment),
    temporal: { client, taskQueue: environment.TEMPORAL_TASK_QUEUE },
    ...(reconciler ? { reconciler } : {}),
    onBrokenInvariant: (error) => {
      // A crash, as TigerStyle asks of a broken assertion: the exit code tells the supervisor it was not a clean stop,
      // and the activity in flight is retried on a worker whose ledger has not stopped.
      logger.fatal(
        { err: error, transferIds: error.transferIds },
        'ledger invariant broken; the worker stops',
      );
      process.exitCode = brokenInvariantExitCode;
      setImmediate(() => process.exit(brokenInvariantExitCode));
    },
  }),
});

workerState = () => worker.getState();
const healthApp = new Hono()
  .route('/', createHealthRoutes(healthChecks))
  .route('/', createMetricsRoutes(metrics.registry));
const healthServer = await serveApp(
  healthApp,
  environment.WORKER_HEALTH_PORT,
  environment.WORKER_HEALTH_HOST,
);
logger.info({ url: healthServer.url, taskQueue: environment.TEMPORAL_TASK_QUEUE }, 'worker running');

// The native connection may close only after the worker has stopped polling, so cleanup waits for run() to end.
const running = worker.run();

if (reconciler && environment.RECONCILE_EVERY !== 'off') {
  const clientConnection = await Connection.connect({ address: environment.TEMPORAL_ADDRESS });
  try {
    const outcome = await ensureReconciliationSchedule(
      new Client({ connection: clientConnection, namespace: environment.TEMPORAL_NAMESPACE }),
      { taskQueue: environment.TEMPORAL_TASK_QUEUE, every: environment.RECONCILE_EVERY },
    );
    logger.info({ every: environment.RECONCILE_EVERY, outcome }, 'reconciliation schedule ready');
  } finally {
    await clientConnection.close();
  }
} else logger.info('no reconciliation schedule: TRON_NODE_URLS is not set or RECONCILE_EVERY is off');
if (environment.CARD_LOAD_SWEEP_EVERY !== 'off') {
  const outcome = await ensureCardLoadSweepSchedule(client, {
    taskQueue: environment.TEMPORAL_TASK_QUEUE,
    every: environment.CARD_LOAD_SWEEP_EVERY,
    unfinishedForMs: cardLoadUnfinishedForMs,
  });
  logger.info({ every: environment.CARD_LOAD_SWEEP_EVERY, outcome }, 'card load sweep schedule ready');
} else logger.info('no card load sweep schedule: CARD_LOAD_SWEEP_EVERY is off');
onShutdown(
  logger,
  async () => {
    worker.shutdown();
    await running;
    await healthServer.close();
    await connection.close();
    await notifications.close();
    redis.disconnect();
    await pool.end();
    logger.info('worker stopped');
  },
  30_000,
);
await running.catch((error: unknown) => {
  logger.fatal({ err: error }, 'worker failed');
  process.exit(1);
});
