// `node packages/stand-ins/telegram-bot-api/src/main.ts [--fresh]`: the Telegram Bot API stand-in as a process, for
// `npm run dev`. With TELEGRAM_STAND_IN_STATE_DIR it keeps pending updates, sent messages, menu buttons, commands and
// blocked chats in that directory and resumes them on restart; --fresh discards them first.
import { createLogger, envHost, envLogLevel, envPort, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { z } from 'zod';
import { startTelegramStandIn, standInBotToken } from './stand-in.ts';
import { discardStandInState } from './store.ts';

const environment = loadEnvOrExit({
  TELEGRAM_STAND_IN_PORT: envPort.default(8092),
  TELEGRAM_STAND_IN_HOST: envHost.default('127.0.0.1'),
  TELEGRAM_STAND_IN_TOKEN: z
    .string()
    .regex(/^[0-9]{1,20}:[A-Za-z0-9_-]{1,100}$/, 'must look like <bot id>:<secret>')
    .default(standInBotToken),
  TELEGRAM_STAND_IN_STATE_DIR: z.string().min(1).optional(),
  TELEGRAM_STAND_IN_LIMITS: z.enum(['enforce', 'measure']).default('enforce'),
  TELEGRAM_STAND_IN_LIMIT_JITTER_MS: z.coerce.number().int().min(0).max(500).default(100),
  LOG_LEVEL: envLogLevel.default('info'),
});
const fresh = process.argv.slice(2).includes('--fresh');
const logger = createLogger({ service: 'telegram-stand-in', level: environment.LOG_LEVEL });
const stateDirectory = environment.TELEGRAM_STAND_IN_STATE_DIR;
if (fresh && stateDirectory !== undefined) discardStandInState(stateDirectory);
const running = await startTelegramStandIn({
  port: environment.TELEGRAM_STAND_IN_PORT,
  host: environment.TELEGRAM_STAND_IN_HOST,
  token: environment.TELEGRAM_STAND_IN_TOKEN,
  ...(stateDirectory === undefined ? {} : { stateDirectory }),
  limits: {
    mode: environment.TELEGRAM_STAND_IN_LIMITS,
    jitterMs: environment.TELEGRAM_STAND_IN_LIMIT_JITTER_MS,
  },
});
logger.info(
  {
    url: running.url,
    stateDirectory: stateDirectory ?? null,
    fresh,
    messages: running.store.messageCount(),
    limits: running.limits.figures.settings,
  },
  'telegram bot api stand-in running',
);
onShutdown(logger, () => running.close());
