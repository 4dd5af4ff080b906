// Sends one queued notification to its user, at most once.
//
// The guarantee: a notification is sent AT MOST ONCE, and exactly once unless the process dies (or Telegram's answer
// is lost) in the one HTTP round trip between claiming it and recording Telegram's answer. The steps:
//   1. claim: insert the notification id into bot_notification_delivery ('sending'); the id is the primary key.
//   2. send: one sendMessage (a 429 waits its retry_after and is repeated: Telegram took nothing).
//   3. record: 'sent' with Telegram's message id; then the queue job completes (is acknowledged).
// A crash between 3 and the acknowledgement: the job runs again, finds 'sent', and completes without sending.
// A crash between 1 and 3 (before or after Telegram took the message): the job runs again and finds 'sending'; the
// bot cannot ask Telegram whether the message went out, so it records 'unknown' and does not send: the user may miss
// that one message, never gets it twice. The same for an answer that never came (a network error, a timeout).
// An answer of 403 marks the user blocked (app_user.bot_blocked_at) and is not retried; other 4xx answers are
// refused for good; a 5xx answer or a 429 beyond the bounds releases the claim, and the queue retries the job later.
import { notificationSchema, type ParsedNotification } from '@cardgate/contracts';
import type { Logger } from '@cardgate/config';
import type { createUserStore } from '@cardgate/users';
import { GrammyError, type Api } from 'grammy';
import type { DeliveryStore } from './delivery-store.ts';
import { openAppKeyboard } from './mini-app.ts';
import { notificationText } from './notification-text.ts';
import { languageOf } from './texts/index.ts';

type UserStore = Pick<ReturnType<typeof createUserStore>, 'byId' | 'markBotBlocked'>;

export type DeliveryOutcome = 'sent' | 'already_sent' | 'blocked' | 'unknown' | 'refused';

/** A job that must not be retried (malformed, unknown user, refused): the queue fails it at once, visibly. */
export class NotificationRefusedError extends Error {
  override readonly name = 'NotificationRefusedError';
}

export interface NotificationSenderDependencies {
  readonly api: Pick<Api, 'sendMessage'>;
  readonly deliveries: DeliveryStore;
  readonly users: UserStore;
  readonly miniAppUrl: string;
  readonly logger: Logger;
}

export function createNotificationSender(dependencies: NotificationSenderDependencies) {
  const { api, deliveries, users, miniAppUrl, logger } = dependencies;

  function parse(data: unknown): ParsedNotification {
    const parsed = notificationSchema.safeParse(data);
    if (!parsed.success)
      throw new NotificationRefusedError(
        `malformed notification: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    return parsed.data;
  }

  async function send(notification: ParsedNotification, chatId: number, text: string, language: 'en' | 'ru') {
    let messageId: number;
    try {
      const message = await api.sendMessage(chatId, text, {
        reply_markup: openAppKeyboard(language, miniAppUrl),
      });
      messageId = message.message_id;
    } catch (error) {
      return refusedOrUnknown(notification, error);
    }
    // A failure here (the database) leaves the claim 'sending': the queue retries the job, which records 'unknown'.
    await deliveries.markSent(notification.id, BigInt(messageId));
    return 'sent' as const;
  }

  async function refusedOrUnknown(notification: ParsedNotification, error: unknown): Promise<'blocked'> {
    if (!(error instanceof GrammyError)) {
      // No answer from Telegram (network, timeout): it may have taken the message. At most once: never again.
      await deliveries.markUnknown(notification.id, String(error).slice(0, 300));
      throw new NotificationRefusedError(`outcome unknown, not sent again: ${String(error)}`);
    }
    if (error.error_code === 403) {
      await deliveries.markBlocked(notification.id, error.description);
      await users.markBotBlocked(notification.userId);
      return 'blocked';
    }
    if (error.error_code === 429 || error.error_code >= 500) {
      // Telegram answered that it did not take the message: the queue may try again (its attempts and backoff).
      await deliveries.release(notification.id);
      throw error;
    }
    await deliveries.markRefused(notification.id, error.description);
    throw new NotificationRefusedError(`Telegram refused it: ${error.description}`);
  }

  return {
    /** Delivers one job's data; throws NotificationRefusedError for what must not be retried. */
    async deliver(data: unknown): Promise<DeliveryOutcome> {
      const notification = parse(data);
      const user = await users.byId(notification.userId);
      if (user === null) throw new NotificationRefusedError(`no user ${notification.userId}`);
      const claim = {
        notificationId: notification.id,
        userId: user.id,
        kind: notification.kind,
        chatId: user.telegramUserId,
      };
      if (user.botBlockedAt !== null) {
        await deliveries.claim({ ...claim, state: 'blocked' });
        return 'blocked';
      }
      const earlier = await deliveries.claim(claim);
      if (earlier?.state === 'sending') {
        await deliveries.markUnknown(notification.id, 'claimed by an attempt that did not finish');
        logger.warn(
          { notificationId: notification.id },
          'notification may have been sent before; not sent again',
        );
        return 'unknown';
      }
      if (earlier?.state === 'sent') return 'already_sent';
      if (earlier) return earlier.state;
      const language = languageOf(user.languageCode);
      return send(notification, user.telegramUserId, notificationText(notification, language), language);
    },
  };
}

export type NotificationSender = ReturnType<typeof createNotificationSender>;
