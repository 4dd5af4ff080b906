// The API process: reads its environment, builds real clients, serves the Hono app, stops cleanly on a signal.
import { getConnInfo } from '@hono/node-server/conninfo';
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { createLogger, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { createDatabasePool, pingDatabase } from '@cardgate/db';
import { redisHealthCheck, runHealthChecks, serveApp, temporalHealthCheck } from '@cardgate/health';
import { isMiniAppBuilt, miniAppDistDirectory } from '@cardgate/mini-app';
import { createAfterResponse } from './lib/after-response.ts';
import { apiRedisOptions } from './lib/redis-options.ts';
import { createApp } from './app.ts';
import { apiEnvironment } from './env.ts';
import { createCardEventStore } from './card-events/event-store.ts';
import { createCardEventDispatcher } from './card-events/event-dispatcher.ts';
import { createTemporalCardEventHandOver } from './card-events/temporal-hand-over.ts';
import { createDefaultUserEventHub } from './routes/events/events.index.ts';
import { createApiMetrics } from './metrics.ts';

const environment = loadEnvOrExit(apiEnvironment);
const logger = createLogger({ service: 'api', level: environment.LOG_LEVEL });
const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  applicationName: 'cardgate-api',
});
const redis = new Redis(environment.REDIS_URL, { ...apiRedisOptions, enableOfflineQueue: false });
const connection = await Connection.connect({ address: environment.TEMPORAL_ADDRESS });
const client = new Client({ connection, namespace: environment.TEMPORAL_NAMESPACE });
const store = createCardEventStore(pool);
const dispatcher = createCardEventDispatcher({
  store,
  logger,
  handOver: createTemporalCardEventHandOver(client, {
    taskQueue: environment.TEMPORAL_TASK_QUEUE,
    holdLifetimeOverrideMs: environment.CARD_HOLD_LIFETIME_OVERRIDE_MS,
  }),
});
dispatcher.start();
// Work requests leave running after their answers (card load workflow starts): drained at shutdown, bounded.
const afterResponse = createAfterResponse(logger);
const afterResponseDrainMs = 10_000;
const userEvents = createDefaultUserEventHub(
  { redis, redisKeyPrefix: environment.API_REDIS_KEY_PREFIX },
  logger,
);
const healthChecks = {
  database: () => pingDatabase(pool),
  redis: redisHealthCheck(redis),
  temporal: temporalHealthCheck(connection),
};
const metrics = createApiMetrics({
  cardEventBacklog: (countMax) => store.backlog(countMax),
  runHealthChecks: () => runHealthChecks(healthChecks),
});
const app = createApp({
  logger,
  healthChecks,
  metrics,
  cardWebhooks: { secret: environment.CARD_WEBHOOK_SECRET, store, dispatcher },
  ...(isMiniAppBuilt() ? { miniApp: { distDirectory: miniAppDistDirectory } } : {}),
  v1: {
    pool,
    redis,
    redisKeyPrefix: environment.API_REDIS_KEY_PREFIX,
    temporal: { client, taskQueue: environment.TEMPORAL_TASK_QUEUE },
    telegram: {
      botToken: environment.TELEGRAM_BOT_TOKEN,
      initDataMaxAgeSeconds: environment.TELEGRAM_INIT_DATA_MAX_AGE_S,
    },
    settings: {
      prices: {
        deposit: {
          feeFixed: environment.DEPOSIT_FEE_FIXED_USDT,
          feeBasisPoints: environment.DEPOSIT_FEE_BPS,
          reviewBelow: environment.DEPOSIT_REVIEW_BELOW_USDT,
        },
        cardIssueFee: environment.CARD_ISSUE_FEE_USDT,
        fx: { usdtUsdRate: environment.USDT_USD_RATE, spreadBasisPoints: environment.FX_SPREAD_BPS },
      },
      limits: {
        perLoad: environment.CARD_LIMIT_PER_LOAD_USD,
        perDay: environment.CARD_LIMIT_DAILY_USD,
        perMonth: environment.CARD_LIMIT_MONTHLY_USD,
        cardBalanceMax: environment.CARD_BALANCE_MAX_USD,
      },
      quoteLifetimeMs: environment.CARD_QUOTE_LIFETIME_MS,
      deposits: {
        tokenContract: environment.USDT_CONTRACT,
        confirmationsNeeded: environment.DEPOSIT_CONFIRMATIONS,
        addressXpub: environment.DEPOSIT_ADDRESS_XPUB,
        addressAccount: environment.DEPOSIT_ADDRESS_ACCOUNT,
      },
    },
    http: {
      miniAppOrigin: environment.MINI_APP_ORIGIN,
      bodyBytesMax: environment.API_BODY_BYTES_MAX,
      requestTimeoutMs: environment.API_REQUEST_TIMEOUT_MS,
    },
    rateLimits: {
      readsPerCaller: { points: environment.API_READS_PER_MINUTE, windowSeconds: 60 },
      writesPerCaller: { points: environment.API_WRITES_PER_MINUTE, windowSeconds: 60 },
      requestsPerIp: { points: environment.API_REQUESTS_PER_IP_PER_MINUTE, windowSeconds: 60 },
    },
    // The socket's address; behind a proxy, the proxy's (put the limiter per IP at the proxy then).
    clientIp: (context) => getConnInfo(context).remote.address ?? 'unknown',
    userEvents,
    afterResponse,
    ledgerObserver: metrics.ledgerObserver,
  },
});
const server = await serveApp(app, environment.API_PORT, environment.API_HOST);
logger.info({ url: server.url }, 'api listening');
onShutdown(logger, async () => {
  // Open event streams would keep the server from closing: end them first (clients reconnect elsewhere and resume).
  await userEvents.close();
  await server.close();
  if (!(await afterResponse.drain(afterResponseDrainMs)))
    logger.warn(
      { inFlight: afterResponse.inFlight },
      'work after responses still running at shutdown; left to its sweep',
    );
  await dispatcher.stop();
  redis.disconnect();
  await connection.close();
  await pool.end();
});
