// The bot process: answers users over long polling and sends the notifications queued by the worker, with a health
// endpoint beside it.
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { createLogger, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { createDatabasePool, pingDatabase } from '@cardgate/db';
import { createHealthRoutes, redisHealthCheck, runHealthChecks, serveApp } from '@cardgate/health';
import { createMetricsRoutes } from '@cardgate/metrics';
import { startBotService } from './bot.ts';
import { botEnvironment } from './env.ts';
import { createBotMetrics } from './metrics.ts';

const environment = loadEnvOrExit(botEnvironment);
const logger = createLogger({ service: 'bot', level: environment.LOG_LEVEL });
const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  applicationName: 'cardgate-bot',
});
const redis = new Redis(environment.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
await redis.connect();
// The checks ask the service once it exists; a scrape before then finds long polling not running.
let isPolling = (): boolean => false;
const healthChecks = {
  database: () => pingDatabase(pool),
  redis: redisHealthCheck(redis),
  telegram: async () => {
    if (!isPolling()) throw new Error('long polling is not running');
  },
};
const metrics = createBotMetrics({ runHealthChecks: () => runHealthChecks(healthChecks) });
const service = await startBotService({
  pool,
  redis,
  queuePrefix: environment.NOTIFICATION_QUEUE_PREFIX,
  token: environment.BOT_TOKEN,
  ...(environment.TELEGRAM_API_ROOT === undefined ? {} : { apiRoot: environment.TELEGRAM_API_ROOT }),
  miniAppUrl: environment.MINI_APP_URL,
  logger,
  concurrency: environment.BOT_NOTIFICATION_CONCURRENCY,
  stalledIntervalMs: environment.BOT_STALLED_INTERVAL_MS,
  onNotificationOutcome: metrics.recordNotification,
});
isPolling = () => service.isPolling();
const healthApp = new Hono()
  .route('/', createHealthRoutes(healthChecks))
  .route('/', createMetricsRoutes(metrics.registry));
const healthServer = await serveApp(healthApp, environment.BOT_HEALTH_PORT, environment.BOT_HEALTH_HOST);
logger.info(
  {
    url: healthServer.url,
    apiRoot: environment.TELEGRAM_API_ROOT ?? 'telegram',
    miniAppUrl: environment.MINI_APP_URL,
  },
  'bot running',
);
onShutdown(logger, async () => {
  await healthServer.close();
  await service.stop();
  await redis.quit();
  await pool.end();
});
