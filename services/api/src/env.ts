// The API's environment, parsed once at start-up. Prices and the card program's limits are the shared variables of
// @cardgate/config (the worker books with the same ones); they have no defaults.
import {
  envHost,
  envHostPort,
  envLogLevel,
  envPort,
  envPostgresUrl,
  envRedisUrl,
  pricingEnvironment,
  programLimitsEnvironment,
} from '@cardgate/config';
import { isTronAddress } from '@cardgate/tron';
import { z } from 'zod';

const perMinute = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

export const apiEnvironment = {
  API_PORT: envPort.default(8787),
  API_HOST: envHost.default('127.0.0.1'),
  DATABASE_URL: envPostgresUrl,
  REDIS_URL: envRedisUrl,
  LOG_LEVEL: envLogLevel.default('info'),
  TEMPORAL_ADDRESS: envHostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('cardgate'),
  /** The card provider's webhook signing secret (`whsec_...`). */
  CARD_WEBHOOK_SECRET: z.string().startsWith('whsec_'),
  /** Development and tests only: replaces the 7/30-day authorization lifetime of new card transaction workflows. */
  CARD_HOLD_LIFETIME_OVERRIDE_MS: z.coerce.number().int().min(1_000).max(86_400_000).optional(),
  /** The bot's token: Mini App initData is signed with it. */
  TELEGRAM_BOT_TOKEN: z.string().regex(/^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/, 'must be a Bot API token'),
  /** initData older than this is refused (seconds). */
  TELEGRAM_INIT_DATA_MAX_AGE_S: z.coerce.number().int().min(60).max(86_400).default(3_600),
  /** The Mini App's origin for CORS (scheme://host[:port]); unset when it is served by this API itself. */
  MINI_APP_ORIGIN: z.url().optional(),
  API_BODY_BYTES_MAX: z.coerce.number().int().min(1_024).max(1_048_576).default(16_384),
  API_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  API_READS_PER_MINUTE: perMinute(300),
  API_WRITES_PER_MINUTE: perMinute(30),
  API_REQUESTS_PER_IP_PER_MINUTE: perMinute(600),
  /** Redis keys this API writes start with it. */
  API_REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]{1,40}$/)
    .default('cardgate'),
  ...pricingEnvironment,
  ...programLimitsEnvironment,
  CARD_QUOTE_LIFETIME_MS: z.coerce.number().int().min(5_000).max(600_000).default(60_000),
  USDT_CONTRACT: z
    .string()
    .refine(isTronAddress, 'must be a TRON address')
    .default('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'),
  /** Confirmations after which a deposit is final (19: the block and 18 after it, as the watcher waits). */
  DEPOSIT_CONFIRMATIONS: z.coerce.number().int().min(1).max(1_000).default(19),
  /** The account-level extended public key deposit addresses are derived from (watch-only; no private key here). */
  DEPOSIT_ADDRESS_XPUB: z.string().regex(/^xpub[1-9A-HJ-NP-Za-km-z]{100,112}$/, 'must be an xpub'),
  DEPOSIT_ADDRESS_ACCOUNT: z.coerce.number().int().min(0).max(2_147_483_647).default(0),
};
