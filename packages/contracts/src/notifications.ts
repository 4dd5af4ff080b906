// User notifications: the workflows queue them on a BullMQ queue in Redis and the Telegram bot (services/bot) sends
// them. The job id is the notification's business id, so a repeated activity queues one job. `notificationSchema` is
// the one definition of each kind's data: the bot parses every job with it (a malformed job fails alone).
import { z } from 'zod';

export const notificationQueueName = 'notifications';

export const notificationKinds = [
  'deposit_seen',
  'deposit_credited',
  'deposit_held',
  'card_loaded',
  'card_load_failed',
  'card_auto_load_skipped',
  'card_issued',
  'card_declined',
  'card_refund',
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

/** Integer minor units as a decimal string (the asset is the kind's: USDT for deposits, the card's for cards). */
const minorText = z.string().regex(/^(0|[1-9][0-9]{0,17})$/, 'must be integer minor units');
const shortText = z.string().min(1).max(200);
const header = { id: z.string().min(1).max(300), userId: z.string().min(1).max(128) };

/** Each kind with the data it carries; unknown kinds and missing or malformed fields are refused. */
export const notificationSchema = z.discriminatedUnion('kind', [
  z.object({ ...header, kind: z.literal('deposit_seen'), data: z.object({ amountMinor: minorText }) }),
  z.object({
    ...header,
    kind: z.literal('deposit_credited'),
    data: z.object({ grossMinor: minorText, feeMinor: minorText, netMinor: minorText }),
  }),
  z.object({ ...header, kind: z.literal('deposit_held'), data: z.object({ amountMinor: minorText }) }),
  z.object({
    ...header,
    kind: z.literal('card_loaded'),
    data: z.object({ cardId: shortText, usdMinor: minorText }),
  }),
  z.object({
    ...header,
    kind: z.literal('card_load_failed'),
    data: z.object({ cardId: shortText, reason: shortText }),
  }),
  z.object({
    ...header,
    kind: z.literal('card_auto_load_skipped'),
    // The program limit the auto-load would break and what is left of it (USD minor units).
    data: z.object({
      cardId: shortText,
      limit: z.enum(['perLoad', 'perDay', 'perMonth', 'cardBalanceMax']),
      remainingMinor: minorText,
    }),
  }),
  z.object({
    ...header,
    kind: z.literal('card_issued'),
    data: z.object({ cardId: shortText, lastFour: z.string().regex(/^[0-9]{4}$/) }),
  }),
  z.object({
    ...header,
    kind: z.literal('card_declined'),
    data: z.object({
      cardId: shortText,
      amountMinor: minorText,
      currency: z.string().regex(/^[A-Z]{3,4}$/),
      merchant: shortText.optional(),
      reason: shortText,
    }),
  }),
  z.object({
    ...header,
    kind: z.literal('card_refund'),
    data: z.object({
      cardId: shortText,
      amountMinor: minorText,
      currency: z.string().regex(/^[A-Z]{3,4}$/),
      merchant: shortText.optional(),
    }),
  }),
]);

export type ParsedNotification = z.infer<typeof notificationSchema>;

/** BullMQ job ids may not contain ':' (its key separator): the job id is the notification id with '_' instead. */
export function notificationJobId(notificationId: string): string {
  return notificationId.replaceAll(':', '_');
}
