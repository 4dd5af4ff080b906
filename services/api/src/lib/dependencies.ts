// What the user and operator API (/v1) is built from. Only main.ts builds real clients; tests pass their own, on the
// real PostgreSQL, Redis and Temporal, through testing.ts.
import type { Client } from '@temporalio/client';
import type { Context } from 'hono';
import type { Redis } from 'ioredis';
import type { DatabasePool } from '@cardgate/db';
import type { LedgerOptions } from '@cardgate/ledger';
import type { UserEventHub } from '@cardgate/user-events';
import type { HardeningSettings } from '../middleware/hardening/hardening.ts';
import type { Idempotent } from '../middleware/idempotency/idempotency.ts';
import type { RateLimitSettings } from '../middleware/rate-limit/rate-limit.ts';
import type { AfterResponse } from './after-response.ts';
import type { ProductSettings } from './settings.ts';
import type { AppEnv } from './types.ts';

export interface V1Dependencies {
  readonly pool: DatabasePool;
  /** Rate limits and the user event streams. */
  readonly redis: Redis;
  /** Keys this API writes in Redis start with it (tests give each file its own). */
  readonly redisKeyPrefix: string;
  readonly temporal: { readonly client: Client; readonly taskQueue: string };
  readonly telegram: { readonly botToken: string; readonly initDataMaxAgeSeconds: number };
  readonly settings: ProductSettings;
  readonly http: HardeningSettings;
  readonly rateLimits: RateLimitSettings;
  /** The client's address for per-IP limits (main.ts reads the socket; tests pass their own). */
  readonly clientIp?: (context: Context<AppEnv>) => string;
  readonly now?: () => Date;
  /** The user event streams of GET /v1/events; main.ts passes its own to close it at shutdown (default: built here). */
  readonly userEvents?: UserEventHub;
  /** Work started by a request and finished after its answer; main.ts passes its own to drain it at shutdown. */
  readonly afterResponse?: AfterResponse;
  /** Told of the card routes' ledger batches (main.ts: the process's metrics). */
  readonly ledgerObserver?: LedgerOptions['onBatch'];
}

/** What every resource's routes are built from: the dependencies plus the API's shared pieces. */
export interface V1Context extends V1Dependencies {
  readonly now: () => Date;
  /** Runs a money-moving POST once per caller and Idempotency-Key. */
  readonly idempotent: Idempotent;
  readonly afterResponse: AfterResponse;
}
