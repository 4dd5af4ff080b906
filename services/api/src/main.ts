// The API process: reads its environment, builds real clients, serves the Hono app, stops cleanly on a signal.
import { Client, Connection } from '@temporalio/client';
import { createLogger, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { createDatabasePool, pingDatabase } from '@cardgate/db';
import { serveApp, temporalHealthCheck } from '@cardgate/health';
import { createApp } from './app.ts';
import { apiEnvironment } from './env.ts';
import { createCardEventStore } from './card-events/event-store.ts';
import { createCardEventDispatcher } from './card-events/event-dispatcher.ts';
import { createTemporalCardEventHandOver } from './card-events/temporal-hand-over.ts';

const environment = loadEnvOrExit(apiEnvironment);
const logger = createLogger({ service: 'api', level: environment.LOG_LEVEL });
const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  applicationName: 'cardgate-api',
});
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
const app = createApp({
  logger,
  healthChecks: {
    database: () => pingDatabase(pool),
    temporal: temporalHealthCheck(connection),
  },
  cardWebhooks: { secret: environment.CARD_WEBHOOK_SECRET, store, dispatcher },
});
const server = await serveApp(app, environment.API_PORT, environment.API_HOST);
logger.info({ url: server.url }, 'api listening');
onShutdown(logger, async () => {
  await server.close();
  await dispatcher.stop();
  await connection.close();
  await pool.end();
});
