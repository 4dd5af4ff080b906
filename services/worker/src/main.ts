// The worker process: serves Cardgate's Temporal workflows and activities, with a health endpoint beside it.
import { Hono } from 'hono';
import { NativeConnection, Runtime, makeTelemetryFilterString, DefaultLogger } from '@temporalio/worker';
import { Redis } from 'ioredis';
import { createLogger, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { createDatabasePool, pingDatabase } from '@cardgate/db';
import { createHttpCardProvider } from '@cardgate/card-provider';
import { createLedger } from '@cardgate/ledger';
import { Queue } from 'bullmq';
import { createHealthRoutes, serveApp } from '@cardgate/health';
import { createActivities } from './activities/index.ts';
import { createWorker } from './worker.ts';
import { moneySettingsFrom, workerEnvironment } from './env.ts';
import { notificationQueueName } from '@cardgate/contracts';

const environment = loadEnvOrExit(workerEnvironment);
const logger = createLogger({ service: 'worker', level: environment.LOG_LEVEL });
Runtime.install({
  logger: new DefaultLogger('WARN', (entry) => logger.warn({ sdk: entry.meta }, entry.message)),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } },
});

const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  applicationName: 'cardgate-worker',
});
const redis = new Redis(environment.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
await redis.connect();
const notifications = new Queue(notificationQueueName, { connection: redis });
const connection = await NativeConnection.connect({ address: environment.TEMPORAL_ADDRESS });
const worker = await createWorker({
  connection,
  namespace: environment.TEMPORAL_NAMESPACE,
  taskQueue: environment.TEMPORAL_TASK_QUEUE,
  activities: createActivities({
    pool,
    logger,
    ledger: createLedger({ pool }),
    provider: createHttpCardProvider({
      baseUrl: environment.CARD_PROVIDER_URL,
      apiKey: environment.CARD_PROVIDER_API_KEY,
      timeoutMs: environment.CARD_PROVIDER_TIMEOUT_MS,
    }),
    notifications,
    money: moneySettingsFrom(environment),
  }),
});

const healthApp = new Hono().route(
  '/',
  createHealthRoutes({
    database: () => pingDatabase(pool),
    redis: async () => void (await redis.ping()),
    temporal: async () => {
      if (worker.getState() !== 'RUNNING') throw new Error(`worker is ${worker.getState()}`);
    },
  }),
);
const healthServer = await serveApp(
  healthApp,
  environment.WORKER_HEALTH_PORT,
  environment.WORKER_HEALTH_HOST,
);
logger.info({ url: healthServer.url, taskQueue: environment.TEMPORAL_TASK_QUEUE }, 'worker running');

// The native connection may close only after the worker has stopped polling, so cleanup waits for run() to end.
const running = worker.run();
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
