// The bot's Bot API client: grammY pointed at Telegram, or at the stand-in when an api root is configured, with the
// send limits (send-scheduler.ts) inside and a wait on 429 outside them. Only a 429 is repeated: it carries
// retry_after and means Telegram did not take the message, so sending again cannot make a second message. 5xx answers
// and network errors are NOT repeated here (@grammyjs/auto-retry's defaults would repeat them, and a message whose
// answer was lost may have been delivered): the notification sender decides what they mean (notification-sender.ts).
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import {
  createSendScheduler,
  sendLimitTransformer,
  type SendLimits,
  type SendScheduler,
} from './send-scheduler.ts';

export interface TelegramClientOptions {
  readonly token: string;
  /** Without one, grammY's default (Telegram itself). */
  readonly apiRoot?: string;
  readonly limits: SendLimits;
  /** A 429 is repeated at most this many times, and only when its retry_after is at most `retryAfterSecondsMax`. */
  readonly rateLimitRetriesMax: number;
  readonly retryAfterSecondsMax: number;
  /** Skips getMe at start (tests). */
  readonly botInfo?: UserFromGetMe;
  /** Bound on one Bot API call (grammY's own default is 500 s). */
  readonly callTimeoutSeconds: number;
}

export interface TelegramClient {
  readonly bot: Bot<Context>;
  readonly scheduler: SendScheduler;
}

export function createTelegramClient(options: TelegramClientOptions): TelegramClient {
  const bot = new Bot(options.token, {
    client: {
      ...(options.apiRoot === undefined ? {} : { apiRoot: options.apiRoot }),
      timeoutSeconds: options.callTimeoutSeconds,
    },
    ...(options.botInfo === undefined ? {} : { botInfo: options.botInfo }),
  });
  const scheduler = createSendScheduler(options.limits);
  // Installed first, so it runs innermost: a repeat after a 429 waits for a new slot.
  bot.api.config.use(sendLimitTransformer(scheduler));
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: options.rateLimitRetriesMax,
      maxDelaySeconds: options.retryAfterSecondsMax,
      rethrowInternalServerErrors: true,
      rethrowHttpErrors: true,
    }),
  );
  return { bot, scheduler };
}
