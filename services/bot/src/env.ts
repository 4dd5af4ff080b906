// The bot's environment, parsed once at start-up. BOT_TOKEN is the bot's token at Telegram, or the stand-in's token
// under `npm run dev`; TELEGRAM_API_ROOT points grammY at the stand-in (without it: Telegram itself).
import { envHost, envLogLevel, envPort, envPostgresUrl, envRedisUrl, envUrl } from '@cardgate/config';
import { z } from 'zod';

export const botEnvironment = {
  DATABASE_URL: envPostgresUrl,
  REDIS_URL: envRedisUrl,
  BOT_TOKEN: z.string().regex(/^[0-9]{1,20}:[A-Za-z0-9_-]{1,100}$/, 'must look like <bot id>:<secret>'),
  TELEGRAM_API_ROOT: envUrl.optional(),
  MINI_APP_URL: envUrl,
  /** BullMQ's key prefix of the notifications queue (the worker's NOTIFICATION_QUEUE_PREFIX; tests give their own). */
  NOTIFICATION_QUEUE_PREFIX: z.string().min(1).max(100).default('bull'),
  BOT_NOTIFICATION_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(100),
  BOT_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).max(300_000).default(30_000),
  BOT_HEALTH_PORT: envPort.default(8790),
  BOT_HEALTH_HOST: envHost.default('127.0.0.1'),
  LOG_LEVEL: envLogLevel.default('info'),
};
