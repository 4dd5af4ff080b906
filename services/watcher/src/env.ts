// The watcher's environment, parsed once at start-up.
import { envHost, envHostPort, envLogLevel, envPort, envPostgresUrl, envRedisUrl } from '@cardgate/config';
import { isTronAddress } from '@cardgate/tron';
import { z } from 'zod';

const finalityRule = z
  .string()
  .regex(/^(solidified|confirmations:\d{1,4})$/, 'must be "solidified" or "confirmations:<blocks>"')
  .transform((value) =>
    value === 'solidified'
      ? ({ kind: 'solidified' } as const)
      : ({ kind: 'confirmations', blocks: Number(value.split(':')[1]) } as const),
  );

export const watcherEnvironment = {
  DATABASE_URL: envPostgresUrl,
  /** Where users' live events go (deposit seen, orphaned, confirmations); unset: the watcher publishes none. */
  REDIS_URL: envRedisUrl.optional(),
  /** The users' event streams live under it: the API's API_REDIS_KEY_PREFIX, where it reads them. */
  USER_EVENTS_REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]{1,40}$/)
    .default('cardgate'),
  TEMPORAL_ADDRESS: envHostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('cardgate'),
  /** Comma-separated full-node base URLs; the first is preferred, the others take over when it fails or lags. */
  TRON_NODE_URLS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url()).min(1).max(8)),
  /**
   * Names the chain the checkpoint belongs to. A devnet starts a new chain on every run, so `npm run dev` gives
   * each run its own id and the watcher never mistakes a fresh devnet for a deep reorg.
   */
  WATCHER_CHAIN_ID: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/)
    .default('tron'),
  TRON_API_KEY: z.string().min(1).optional(),
  USDT_CONTRACT: z
    .string()
    .refine(isTronAddress, 'must be a TRON address')
    .default('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'),
  WATCHER_FINALITY: finalityRule.default({ kind: 'solidified' }),
  /** Block to start from when there is no checkpoint yet; required then (the watcher never guesses). */
  WATCHER_START_BLOCK: z.coerce.number().int().min(0).optional(),
  WATCHER_BATCH_BLOCKS: z.coerce.number().int().min(1).max(1_000).default(200),
  WATCHER_IDLE_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /** How often a standby watcher tries to take over. */
  WATCHER_STANDBY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(2_000),
  /** Longest pause after repeated node or database errors. */
  WATCHER_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(300_000).default(30_000),
  WATCHER_HEALTH_PORT: envPort.default(8788),
  WATCHER_HEALTH_HOST: envHost.default('127.0.0.1'),
  LOG_LEVEL: envLogLevel.default('info'),
};
