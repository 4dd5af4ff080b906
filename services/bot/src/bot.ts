// The bot assembled from its dependencies: the Bot API client (limits and 429 waits inside), the commands, and the
// notification sender and its BullMQ worker. main.ts builds the real dependencies; tests build the same with test
// ones and the stand-in as a real HTTP server.
import type { Logger } from '@cardgate/config';
import type { DatabasePool } from '@cardgate/db';
import { createUserStore } from '@cardgate/users';
import type { Worker, ConnectionOptions } from 'bullmq';
import type { UserFromGetMe } from 'grammy/types';
import { createSharedBalanceSource, type BalanceSource } from './balances.ts';
import { announceCommands, installCommands } from './commands.ts';
import { createDeliveryStore } from './delivery-store.ts';
import { createNotificationSender } from './notification-sender.ts';
import { startNotificationWorker, type NotificationAttemptOutcome } from './notification-worker.ts';
import { telegramSendLimits, type SendLimits } from './send-scheduler.ts';
import { createTelegramClient } from './telegram-client.ts';

export interface BotServiceOptions {
  readonly pool: DatabasePool;
  readonly redis: ConnectionOptions;
  readonly queuePrefix: string;
  readonly token: string;
  readonly apiRoot?: string;
  readonly miniAppUrl: string;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly stalledIntervalMs: number;
  readonly limits?: SendLimits;
  /** Replaces the shared balance reader (tests). */
  readonly balances?: BalanceSource;
  readonly botInfo?: UserFromGetMe;
  /** Told of each notification attempt's outcome (main.ts: the process's metrics). */
  readonly onNotificationOutcome?: (outcome: NotificationAttemptOutcome) => void;
}

/** A 429 is waited out at most 5 times in a row, each wait at most 60 s; beyond that the queue retries the job. */
const rateLimitRetriesMax = 5;
const retryAfterSecondsMax = 60;
/** A long poll is 30 s; a call gets 10 s more than that before it counts as lost. */
const longPollSeconds = 30;
const callTimeoutSeconds = longPollSeconds + 10;

export interface BotService {
  readonly worker: Worker;
  /** Long polling runs until stop(); resolves once the first getUpdates was made. */
  readonly polling: Promise<void>;
  isPolling(): boolean;
  stop(): Promise<void>;
}

export async function startBotService(options: BotServiceOptions): Promise<BotService> {
  const { logger } = options;
  const { bot } = createTelegramClient({
    token: options.token,
    ...(options.apiRoot === undefined ? {} : { apiRoot: options.apiRoot }),
    limits: options.limits ?? telegramSendLimits,
    rateLimitRetriesMax,
    retryAfterSecondsMax,
    callTimeoutSeconds,
    ...(options.botInfo === undefined ? {} : { botInfo: options.botInfo }),
  });
  const users = createUserStore(options.pool);
  installCommands(bot, {
    users,
    balances: options.balances ?? createSharedBalanceSource(options.pool),
    miniAppUrl: options.miniAppUrl,
    logger,
  });
  bot.catch((error) =>
    logger.error({ error: String(error.error), updateId: error.ctx.update.update_id }, 'update failed'),
  );
  await bot.init();
  await announceCommands(bot, options.miniAppUrl);

  const sender = createNotificationSender({
    api: bot.api,
    deliveries: createDeliveryStore(options.pool),
    users,
    miniAppUrl: options.miniAppUrl,
    logger,
  });
  const worker = startNotificationWorker({
    connection: options.redis,
    prefix: options.queuePrefix,
    sender,
    logger,
    concurrency: options.concurrency,
    stalledIntervalMs: options.stalledIntervalMs,
    ...(options.onNotificationOutcome ? { onOutcome: options.onNotificationOutcome } : {}),
  });
  let started!: () => void;
  const polling = new Promise<void>((resolve) => (started = resolve));
  void bot
    .start({ timeout: longPollSeconds, onStart: () => started(), drop_pending_updates: false })
    .catch((error: unknown) => logger.error({ error: String(error) }, 'long polling stopped'));
  return {
    worker,
    polling,
    isPolling: () => bot.isRunning(),
    async stop() {
      await worker.close();
      await bot.stop();
    },
  };
}
