// `node packages/stand-ins/card-sandbox/src/main.ts`: the card sandbox as a process, for `npm run dev`.
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
  LOG_LEVEL: envLogLevel.default('info'),
});
const logger = createLogger({ service: 'card-sandbox', level: environment.LOG_LEVEL });
const running = await startCardSandbox({
  port: environment.CARD_SANDBOX_PORT,
  host: environment.CARD_SANDBOX_HOST,
  apiKey: environment.CARD_SANDBOX_API_KEY,
  webhookSecret: environment.CARD_SANDBOX_WEBHOOK_SECRET,
  ...(environment.CARD_SANDBOX_WEBHOOK_URL === undefined
    ? {}
    : { webhookUrl: environment.CARD_SANDBOX_WEBHOOK_URL }),
});
logger.info(
  { url: running.url, webhookUrl: environment.CARD_SANDBOX_WEBHOOK_URL ?? null },
  'card sandbox running',
);
onShutdown(logger, () => running.close());
