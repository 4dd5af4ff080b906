// The API process: reads its environment, builds real clients, serves the Hono app, stops cleanly on a signal.
import { createLogger, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { createDatabasePool, pingDatabase } from '@cardgate/db';
import { serveApp } from '@cardgate/health';
import { createApp } from './app.ts';
import { apiEnvironment } from './env.ts';

const environment = loadEnvOrExit(apiEnvironment);
const logger = createLogger({ service: 'api', level: environment.LOG_LEVEL });
const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  applicationName: 'cardgate-api',
});
const app = createApp({
  logger,
  healthChecks: { database: () => pingDatabase(pool) },
});
const server = await serveApp(app, environment.API_PORT, environment.API_HOST);
logger.info({ url: server.url }, 'api listening');
onShutdown(logger, async () => {
  await server.close();
  await pool.end();
});
