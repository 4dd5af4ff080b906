// The environment a reconciliation reads, in the same variables the services use (the watcher's node, chain id and
// start block, the worker's card provider), parsed with packages/config by whoever runs it: the worker for the
// schedule and `npm run reconcile`. Grace periods and bounds have defaults a deployment may change.
import { envPostgresUrl, envUrl } from '@cardgate/config';
import { createHttpCardProvider } from '@cardgate/card-provider';
import type { DatabasePool } from '@cardgate/db';
import { createTronNodeClient, isTronAddress } from '@cardgate/tron';
import { z } from 'zod';
import type { ReconcilerOptions } from './reconciler.ts';

const nodeUrls = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url()).min(1).max(8));

/** What the chain and provider sides need, beside DATABASE_URL; optional in the worker (no node, no schedule). */
export const reconciliationSourcesEnvironment = {
  /** The first URL is read (the watcher's list, of which the first is preferred). */
  TRON_NODE_URLS: nodeUrls,
  TRON_API_KEY: z.string().min(1).optional(),
  USDT_CONTRACT: z
    .string()
    .refine(isTronAddress, 'must be a TRON address')
    .default('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'),
  /** A balance-checker contract (`balances(address[],address[])`): 500 balances a call instead of one. */
  RECONCILE_BALANCE_CHECKER_CONTRACT: z.string().refine(isTronAddress, 'must be a TRON address').optional(),
  WATCHER_CHAIN_ID: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/)
    .default('tron'),
  /** Where the reconciler's first run starts reading blocks: the watcher's start block. */
  WATCHER_START_BLOCK: z.coerce.number().int().min(0).default(0),
  CARD_PROVIDER_URL: envUrl,
  CARD_PROVIDER_API_KEY: z.string().min(1),
  CARD_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Final transfers this close to the solidified block and not credited yet are in flight (20 blocks: 1 minute). */
  RECONCILE_CREDIT_GRACE_BLOCKS: z.coerce.number().int().min(0).max(100_000).default(20),
  /** Provider events younger than this may still be on their way to the ledger as webhooks. */
  RECONCILE_PROVIDER_GRACE_MS: z.coerce.number().int().min(0).max(86_400_000).default(120_000),
  /** Node reads at once (blocks, balances). */
  RECONCILE_NODE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
};

export const reconciliationEnvironment = {
  DATABASE_URL: envPostgresUrl,
  ...reconciliationSourcesEnvironment,
};

export type ReconciliationSources = z.infer<z.ZodObject<typeof reconciliationSourcesEnvironment>>;

/** The reconciler's options from the parsed environment and a pool. */
export function reconcilerOptionsFrom(
  environment: ReconciliationSources,
  pool: DatabasePool,
): ReconcilerOptions {
  return {
    pool,
    chain: {
      client: createTronNodeClient({
        baseUrl: environment.TRON_NODE_URLS[0]!,
        timeoutMs: 10_000,
        ...(environment.TRON_API_KEY ? { apiKey: environment.TRON_API_KEY } : {}),
        socketsMax: environment.RECONCILE_NODE_CONCURRENCY,
      }),
      tokenContract: environment.USDT_CONTRACT,
      concurrencyMax: environment.RECONCILE_NODE_CONCURRENCY,
      attemptsMax: 5,
      backoffMsMax: 5_000,
      chainId: environment.WATCHER_CHAIN_ID,
      startBlock: environment.WATCHER_START_BLOCK,
      creditGraceBlocks: environment.RECONCILE_CREDIT_GRACE_BLOCKS,
      ...(environment.RECONCILE_BALANCE_CHECKER_CONTRACT
        ? { balanceChecker: environment.RECONCILE_BALANCE_CHECKER_CONTRACT }
        : {}),
    },
    provider: createHttpCardProvider({
      baseUrl: environment.CARD_PROVIDER_URL,
      apiKey: environment.CARD_PROVIDER_API_KEY,
      timeoutMs: environment.CARD_PROVIDER_TIMEOUT_MS,
    }),
    providerGraceMs: environment.RECONCILE_PROVIDER_GRACE_MS,
  };
}
