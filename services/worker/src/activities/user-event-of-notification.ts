// The user event a notification also makes (GET /v1/events streams it to the user's open Mini App). Pure: the
// notification's business id becomes the event's `key`, so a retried activity that publishes again makes an event the
// client recognises and ignores; amounts become decimal strings with their asset. Kinds the user stream does not carry
// answer null (a notification kind added later streams nothing until it is mapped here).
import type { Notification } from '@cardgate/contracts';
import { userEventMoney, type UserEvent } from '@cardgate/contracts/user-event';
import { parseMinorUnits, USD, USDT, type Asset } from '@cardgate/money';

/** Deposit notification ids name the deposit: `deposit-credited:<txId>:<logIndex>` (deposit.workflow.ts). */
const depositNotificationId = /^deposit-[a-z]+:([0-9a-f]{64}):(0|[1-9][0-9]{0,9})$/;

export function userEventOfNotification(notification: Notification): UserEvent | null {
  const { id: key, data } = notification;
  const money = (field: string, asset: Asset) =>
    userEventMoney(parseMinorUnits(data[field], asset, { allowZero: true }));
  const text = (field: string) => {
    const value = data[field];
    if (value === undefined) throw new Error(`notification ${key} has no ${field}`);
    return value;
  };
  switch (notification.kind) {
    case 'deposit_credited':
      return {
        key,
        kind: 'deposit.credited',
        data: {
          ...depositOf(key),
          gross: money('grossMinor', USDT),
          fee: money('feeMinor', USDT),
          net: money('netMinor', USDT),
        },
      };
    case 'deposit_held':
      return { key, kind: 'deposit.held', data: { ...depositOf(key), amount: money('amountMinor', USDT) } };
    case 'card_issued':
      return { key, kind: 'card.issued', data: { cardId: text('cardId'), lastFour: text('lastFour') } };
    case 'card_loaded':
      return { key, kind: 'card.loaded', data: { cardId: text('cardId'), amount: money('usdMinor', USD) } };
    case 'card_load_failed':
      return { key, kind: 'card.load_failed', data: { cardId: text('cardId'), reason: text('reason') } };
    // Seen deposits stream from the watcher (deposit.seen, with confirmations); declines and refunds stream as the
    // card.transaction event the card transaction activity publishes. Their notifications add nothing to the stream.
    // A skipped auto-load changes nothing the app shows (the deposit's credit already streamed): the bot tells it.
    case 'deposit_seen':
    case 'card_auto_load_skipped':
    case 'card_declined':
    case 'card_refund':
      return null;
  }
}

function depositOf(notificationId: string): { txId: string; logIndex: number } {
  const match = depositNotificationId.exec(notificationId);
  if (!match?.[1] || !match[2]) throw new Error(`notification id ${notificationId} names no deposit`);
  return { txId: match[1], logIndex: Number(match[2]) };
}
