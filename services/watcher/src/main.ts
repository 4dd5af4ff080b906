// The watcher process. In this foundation it connects to its dependencies and reports health; following the chain
// and handing deposits to Temporal arrive with the TRON issue.
import { Hono } from 'hono';
import { Connection } from '@temporalio/client';
import { createLogger, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { createDatabasePool, pingDatabase } from '@cardgate/db';
import { createHealthRoutes, serveApp } from '@cardgate/health';
import { watcherEnvironment } from './env.ts';

const environment = loadEnvOrExit(watcherEnvironment);
const logger = createLogger({ service: 'watcher', level: environment.LOG_LEVEL });
const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  applicationName: 'cardgate-watcher',
});
const temporal = await Connection.connect({ address: environment.TEMPORAL_ADDRESS });

const healthApp = new Hono().route(
  '/',
  createHealthRoutes({
    database: () => pingDatabase(pool),
    temporal: async () => void (await temporal.healthService.check({})),
  }),
);
const healthServer = await serveApp(
  healthApp,
  environment.WATCHER_HEALTH_PORT,
  environment.WATCHER_HEALTH_HOST,
);
logger.info({ url: healthServer.url }, 'watcher running');
onShutdown(logger, async () => {
  await healthServer.close();
  await temporal.close();
  await pool.end();
});
