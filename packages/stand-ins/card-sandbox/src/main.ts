// `node packages/stand-ins/card-sandbox/src/main.ts [--fresh]`: the card sandbox as a process, for `npm run dev`.
// With CARD_SANDBOX_STATE_DIR it keeps its cards, loads, transactions, idempotency keys and undelivered webhooks in
// that directory and resumes them on restart; --fresh discards them first. Without it, state lives in memory.
import {
  createLogger,
  envHost,
  envLogLevel,
  envPort,
  envUrl,
  loadEnvOrExit,
  onShutdown,
} from '@cardgate/config';
import { z } from 'zod';
import { developmentApiKey, developmentWebhookSecret } from './development-keys.ts';
import { startCardSandbox } from './sandbox.ts';
import { discardFileStore } from './state/file-store.ts';

const environment = loadEnvOrExit({
  CARD_SANDBOX_PORT: envPort.default(8091),
  CARD_SANDBOX_HOST: envHost.default('127.0.0.1'),
  CARD_SANDBOX_API_KEY: z.string().min(1).max(256).default(developmentApiKey),
  CARD_SANDBOX_WEBHOOK_URL: envUrl.optional(),
  // A fixed development secret (whsec_ + base64 of 32 bytes); set your own anywhere that matters.
  CARD_SANDBOX_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]{22,}={0,2}$/, 'must be whsec_<base64>')
    .default(developmentWebhookSecret),
  CARD_SANDBOX_STATE_DIR: z.string().min(1).optional(),
  // A real provider keeps retrying a webhook for hours; the process does too (about 10 minutes by default), so a
  // receiver that is restarting, or not up yet when undelivered webhooks are resent at start-up, still gets them.
  // The library's default (6 attempts, about 3.5 s) stays for tests that provoke a give-up.
  CARD_SANDBOX_WEBHOOK_ATTEMPTS_MAX: z.coerce.number().int().min(1).max(1_000).default(30),
  CARD_SANDBOX_WEBHOOK_BACKOFF_MS_MAX: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  LOG_LEVEL: envLogLevel.default('info'),
});
const fresh = process.argv.slice(2).includes('--fresh');
const logger = createLogger({ service: 'card-sandbox', level: environment.LOG_LEVEL });
const stateDirectory = environment.CARD_SANDBOX_STATE_DIR;
if (fresh && stateDirectory !== undefined) discardFileStore(stateDirectory);
const running = await startCardSandbox({
  port: environment.CARD_SANDBOX_PORT,
  host: environment.CARD_SANDBOX_HOST,
  apiKey: environment.CARD_SANDBOX_API_KEY,
  webhookSecret: environment.CARD_SANDBOX_WEBHOOK_SECRET,
  ...(environment.CARD_SANDBOX_WEBHOOK_URL === undefined
    ? {}
    : { webhookUrl: environment.CARD_SANDBOX_WEBHOOK_URL }),
  ...(stateDirectory === undefined ? {} : { stateDirectory }),
  webhookAttemptsMax: environment.CARD_SANDBOX_WEBHOOK_ATTEMPTS_MAX,
  webhookBackoffMsMax: environment.CARD_SANDBOX_WEBHOOK_BACKOFF_MS_MAX,
});
logger.info(
  {
    url: running.url,
    webhookUrl: environment.CARD_SANDBOX_WEBHOOK_URL ?? null,
    stateDirectory: stateDirectory ?? null,
    fresh,
    ...running.sandbox.summary,
  },
  'card sandbox running',
);
onShutdown(logger, () => running.close());
