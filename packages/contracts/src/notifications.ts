// User notifications: the workflows queue them on a BullMQ queue in Redis and the Telegram bot's worker (a later
// issue) sends them. The job id is the notification's business id, so a repeated activity queues one job.

export const notificationQueueName = 'notifications';

export const notificationKinds = [
  'deposit_credited',
  'deposit_held',
  'card_loaded',
  'card_load_failed',
  'card_issued',
] as const;

export type NotificationKind = (typeof notificationKinds)[number];

export interface Notification {
  /** Business id, e.g. `deposit-credited:<txid>:<logIndex>`: one notification per event. */
  readonly id: string;
  readonly userId: string;
  readonly kind: NotificationKind;
  /** Amounts in `data` are integer minor units as decimal strings (`grossMinor`, `usdMinor`). */
  readonly data: Readonly<Record<string, string>>;
}
