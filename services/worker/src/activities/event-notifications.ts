// Notifications about facts that move no money yet (a deposit seen on chain) or none at all (a declined payment), and
// refunds. Each is queued through `queueNotification` (notifications.ts) with an id derived from the fact, so a
// repeated activity queues one job and the bot, which records every notification id it sent, sends it once.
import type { CardTransactionEvent, Notification } from '@cardgate/contracts';
import type { DatabasePool } from '@cardgate/db';
import { createDepositAddressStore } from '@cardgate/deposit-addresses';
import type { Logger } from '@cardgate/config';

export type NotificationSink = (notification: Notification) => Promise<void>;

/** Authorizations a card program declines: a declined one moves no money, but the user should hear of it. */
const declinableKinds = new Set(['AUTHORIZATION', 'FINANCIAL_AUTHORIZATION']);
/** Money coming back to the card from a merchant. */
const refundKinds = new Set(['RETURN', 'FINANCIAL_CREDIT_AUTHORIZATION']);

/** The notifications the card transaction's events call for: one per declined authorization, one per refund. */
export function cardEventNotifications(
  events: readonly CardTransactionEvent[],
  card: { readonly id: string; readonly userId: string },
): Notification[] {
  const notifications: Notification[] = [];
  for (const event of events) {
    const money: Record<string, string> = {
      cardId: card.id,
      amountMinor: event.amountMinor,
      currency: event.currency,
    };
    if (event.descriptor !== null && event.descriptor !== '') money.merchant = event.descriptor.slice(0, 200);
    if (declinableKinds.has(event.kind) && event.result !== 'APPROVED')
      notifications.push({
        id: `card-declined:${event.eventId}`,
        userId: card.userId,
        kind: 'card_declined',
        data: { ...money, reason: event.result.slice(0, 200) },
      });
    if (refundKinds.has(event.kind) && event.result === 'APPROVED')
      notifications.push({
        id: `card-refund:${event.eventId}`,
        userId: card.userId,
        kind: 'card_refund',
        data: money,
      });
  }
  return notifications;
}

export function createDepositSeenActivities(dependencies: {
  readonly pool: DatabasePool;
  readonly logger: Logger;
  readonly notify: NotificationSink;
}) {
  const { pool, logger, notify } = dependencies;
  return {
    /** Tells the deposit address's owner that the deposit is on chain, not yet final; an unowned address is skipped. */
    async queueDepositSeenNotification(input: {
      txId: string;
      logIndex: number;
      toAddress: string;
      amountMinor: string;
    }): Promise<void> {
      const owner = await createDepositAddressStore(pool).findOwner(input.toAddress);
      if (owner === null) {
        logger.warn({ txId: input.txId, logIndex: input.logIndex }, 'deposit seen on an address nobody owns');
        return;
      }
      await notify({
        id: `deposit-seen:${input.txId}:${input.logIndex}`,
        userId: owner,
        kind: 'deposit_seen',
        data: { amountMinor: input.amountMinor },
      });
    },
  };
}
