// bot_notification_delivery (migration 0017): what the bot did with each notification. Claim before sending, finish
// after; a claim that already exists answers how it ended (or that an earlier attempt may have sent it).
import { sql, type DatabasePool } from '@cardgate/db';
import { z } from 'zod';

export type DeliveryState = 'sending' | 'sent' | 'blocked' | 'refused' | 'unknown';

export interface Delivery {
  readonly notificationId: string;
  readonly state: DeliveryState;
  readonly telegramMessageId: bigint | null;
}

const deliveryRow = z.object({
  notification_id: z.string(),
  state: z.enum(['sending', 'sent', 'blocked', 'refused', 'unknown']),
  telegram_message_id: z.bigint().nullable(),
});
const noRows = z.object({});
const detailLengthMax = 500;

const deliveryOf = (row: z.infer<typeof deliveryRow>): Delivery => ({
  notificationId: row.notification_id,
  state: row.state,
  telegramMessageId: row.telegram_message_id,
});

export function createDeliveryStore(pool: DatabasePool) {
  async function finish(
    notificationId: string,
    state: Exclude<DeliveryState, 'sending'>,
    fields: { messageId?: bigint; detail?: string } = {},
  ): Promise<void> {
    // A late 'sent' may overwrite 'unknown' (a second attempt judged the first's claim while the first was still
    // sending): the message id is the better knowledge. Nothing overwrites 'sent'.
    await pool.query(sql.type(noRows)`
      update bot_notification_delivery
      set state = ${state}, telegram_message_id = ${fields.messageId ?? null}, finished_at = now(),
        detail = ${fields.detail?.slice(0, detailLengthMax) ?? null}
      where notification_id = ${notificationId} and state in ('sending', 'unknown')`);
  }

  return {
    /** Claims the notification; answers null when this call claimed it, else the delivery already recorded. */
    async claim(input: {
      notificationId: string;
      userId: string;
      kind: string;
      chatId: number;
      state?: 'sending' | 'blocked';
    }): Promise<Delivery | null> {
      const claimed = await pool.maybeOne(sql.type(deliveryRow)`
        insert into bot_notification_delivery (notification_id, user_id, kind, state, telegram_chat_id, finished_at)
        values (${input.notificationId}, ${input.userId}, ${input.kind}, ${input.state ?? 'sending'}, ${input.chatId},
          ${input.state === 'blocked' ? sql.fragment`now()` : null})
        on conflict (notification_id) do nothing
        returning notification_id, state, telegram_message_id`);
      if (claimed) return null;
      return deliveryOf(
        await pool.one(sql.type(deliveryRow)`
          select notification_id, state, telegram_message_id from bot_notification_delivery
          where notification_id = ${input.notificationId}`),
      );
    },
    markSent: (notificationId: string, messageId: bigint) => finish(notificationId, 'sent', { messageId }),
    markBlocked: (notificationId: string, detail: string) => finish(notificationId, 'blocked', { detail }),
    markRefused: (notificationId: string, detail: string) => finish(notificationId, 'refused', { detail }),
    markUnknown: (notificationId: string, detail: string) => finish(notificationId, 'unknown', { detail }),
    /** Drops a claim whose message Telegram definitely did not take (it answered 429 or 5xx), so a retry may send. */
    async release(notificationId: string): Promise<void> {
      await pool.query(sql.type(noRows)`
        delete from bot_notification_delivery where notification_id = ${notificationId} and state = 'sending'`);
    },
    async byId(notificationId: string): Promise<Delivery | null> {
      const row = await pool.maybeOne(sql.type(deliveryRow)`
        select notification_id, state, telegram_message_id from bot_notification_delivery
        where notification_id = ${notificationId}`);
      return row ? deliveryOf(row) : null;
    },
  };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;
