// The API's environment, parsed once at start-up.
import { envHost, envHostPort, envLogLevel, envPort, envPostgresUrl } from '@cardgate/config';
import { z } from 'zod';

export const apiEnvironment = {
  API_PORT: envPort.default(8787),
  API_HOST: envHost.default('127.0.0.1'),
  DATABASE_URL: envPostgresUrl,
  LOG_LEVEL: envLogLevel.default('info'),
  TEMPORAL_ADDRESS: envHostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('cardgate'),
  /** The card provider's webhook signing secret (`whsec_...`). */
  CARD_WEBHOOK_SECRET: z.string().startsWith('whsec_'),
  /** Development and tests only: replaces the 7/30-day authorization lifetime of new card transaction workflows. */
  CARD_HOLD_LIFETIME_OVERRIDE_MS: z.coerce.number().int().min(1_000).max(86_400_000).optional(),
};
