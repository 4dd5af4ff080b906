// The watcher process: follows TRON from its checkpoint, records USDT deposits to our addresses, and hands them to
// Temporal through the outbox. Several may run; one leads (advisory lock), the others wait to take over.
import { Hono } from 'hono';
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { createDepositAddressStore } from '@cardgate/deposit-addresses';
import { createUserEventPublisher } from '@cardgate/user-events';
import { createLogger, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { createDatabasePool, pingDatabase } from '@cardgate/db';
import { createHealthRoutes, runHealthChecks, serveApp, temporalHealthCheck } from '@cardgate/health';
import { createMetricsRegistry, createMetricsRoutes, registerDependencyHealth } from '@cardgate/metrics';
import { createTronNodeClient } from '@cardgate/tron';
import { AddressBook } from './address-book.ts';
import { createDepositAddressSource } from './address-book-store.ts';
import { createDepositStore } from '@cardgate/deposit-store';
import { createFailoverSource } from './failover-source.ts';
import { createFollower } from './follower.ts';
import { createLeaderLock } from './leader-lock.ts';
import { createWatcherMetrics } from './metrics.ts';
import { createOutboxDispatcher } from './outbox-dispatcher.ts';
import { createTemporalHandOver } from './temporal-hand-over.ts';
import { createTronChainSource } from './tron-chain-source.ts';
import { createDepositUserEvents } from './user-events.ts';
import { createWatcherLoop } from './watcher.ts';
import { watcherEnvironment } from './env.ts';

const environment = loadEnvOrExit(watcherEnvironment);
const logger = createLogger({ service: 'watcher', level: environment.LOG_LEVEL });
const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  applicationName: 'cardgate-watcher',
});
const temporal = await Connection.connect({ address: environment.TEMPORAL_ADDRESS });
const client = new Client({ connection: temporal, namespace: environment.TEMPORAL_NAMESPACE });

const source = createFailoverSource({
  sources: environment.TRON_NODE_URLS.map((url, index) =>
    createTronChainSource({
      name: `node${index}`,
      client: createTronNodeClient({
        baseUrl: url,
        timeoutMs: 10_000,
        ...(environment.TRON_API_KEY ? { apiKey: environment.TRON_API_KEY } : {}),
      }),
      tokenContract: environment.USDT_CONTRACT,
      infoConcurrencyMax: 16,
    }),
  ),
  behindBlocksMax: 20,
  headCheckIntervalMs: 30_000,
  coolDownMsMin: 500,
  coolDownMsMax: 60_000,
  onSwitch: (from, to, reason) => logger.warn({ from, to, reason }, 'switched TRON node'),
});
const store = createDepositStore(pool, {
  chain: environment.WATCHER_CHAIN_ID,
  contract: environment.USDT_CONTRACT,
  asset: 'USDT',
});
// With no checkpoint the watcher must be told where to start: guessing "the current head" would let a watcher that
// restarts before its first checkpoint skip every block in between, and the deposits in them.
const checkpoint = await store.loadCursor();
if (!checkpoint && environment.WATCHER_START_BLOCK === undefined) {
  logger.fatal('no checkpoint yet for this chain: set WATCHER_START_BLOCK to the first block to watch');
  process.exit(78);
}
// With a checkpoint the start block is never used (the follower resumes from the checkpoint).
const startBlockNumber = environment.WATCHER_START_BLOCK ?? checkpoint?.number ?? 0;
const registry = createMetricsRegistry({ service: 'watcher' });
// Users' live events, when Redis is configured: best effort, never in the way of the chain or the hand-over.
const redis = environment.REDIS_URL
  ? new Redis(environment.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
  : undefined;
redis?.on('error', (error: unknown) => logger.warn({ err: error }, 'redis (user events)'));
const userEvents = redis
  ? createDepositUserEvents({
      publisher: createUserEventPublisher({ redis, keyPrefix: environment.USER_EVENTS_REDIS_PREFIX }),
      findOwner: (address) => createDepositAddressStore(pool).findOwner(address),
      logger,
    })
  : undefined;
const follower = createFollower({
  source,
  store,
  addressBook: new AddressBook(createDepositAddressSource(pool)),
  finality: environment.WATCHER_FINALITY,
  startBlockNumber,
  batchBlocksMax: environment.WATCHER_BATCH_BLOCKS,
  reorgDepthMax: 64,
  keepBlocksBelowFinal: 64,
});
const handOver = createTemporalHandOver(client, environment.TEMPORAL_TASK_QUEUE);
const dispatcher = createOutboxDispatcher({
  pool,
  handOver: userEvents ? userEvents.handOver(handOver) : handOver,
  batchRowsMax: 500,
  concurrencyMax: 16,
});
const metrics = createWatcherMetrics({
  registry,
  outboxDepth: async () => Number(await dispatcher.pendingCount()),
});
const loop = createWatcherLoop({
  follower: userEvents
    ? userEvents.follower(follower, {
        finality: environment.WATCHER_FINALITY,
        confirmingDeposits: (countMax) => store.confirmingDeposits(countMax),
      })
    : follower,
  dispatcher,
  leaderLock: createLeaderLock(environment.DATABASE_URL, 1),
  metrics,
  logger,
  idlePollMs: environment.WATCHER_IDLE_POLL_MS,
  standbyPollMs: environment.WATCHER_STANDBY_POLL_MS,
  backoffMsMin: Math.min(200, environment.WATCHER_BACKOFF_MAX_MS),
  backoffMsMax: environment.WATCHER_BACKOFF_MAX_MS,
});

const healthChecks = {
  database: () => pingDatabase(pool),
  temporal: temporalHealthCheck(temporal),
  tron: async () => void (await source.head()),
};
registerDependencyHealth(registry, () => runHealthChecks(healthChecks));
const healthApp = new Hono()
  .route('/', createHealthRoutes(healthChecks))
  .route('/', createMetricsRoutes(registry));
const healthServer = await serveApp(
  healthApp,
  environment.WATCHER_HEALTH_PORT,
  environment.WATCHER_HEALTH_HOST,
);
logger.info(
  { url: healthServer.url, nodes: environment.TRON_NODE_URLS.length, startBlockNumber },
  'watcher running',
);

const stop = new AbortController();
const running = loop.run(stop.signal);
onShutdown(logger, async () => {
  stop.abort();
  await running.catch(() => undefined);
  await healthServer.close();
  redis?.disconnect();
  await temporal.close();
  await pool.end();
});
await running.catch((error: unknown) => {
  // Only invariant violations end the loop (a reorg below finality, a reorg deeper than allowed): stop loudly.
  logger.fatal({ err: error }, 'watcher stopped on a broken invariant');
  process.exit(70);
});
