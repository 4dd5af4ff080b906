// Proves which card events become notifications: a declined authorization (single or dual message) becomes one
// card_declined with the decline reason, an approved return or credit one card_refund, each with an id derived
// from the event (so queueing it again is a no-op); approved spending, a declined return and other kinds none.
import { describe, expect, it } from 'vitest';
import { notificationSchema, type CardTransactionEvent } from '@cardgate/contracts';
import { cardEventNotifications } from './event-notifications.ts';

const card = { id: 'crd_1', userId: 'usr_1' };
const event = (
  eventId: string,
  kind: CardTransactionEvent['kind'],
  result: string,
  descriptor: string | null = 'SHOP',
): CardTransactionEvent => ({
  eventId,
  kind,
  result,
  providerTransactionId: 'txn_1',
  cardToken: 'card_1',
  sequence: 1,
  amountMinor: '1250',
  currency: 'USD',
  merchantAmountMinor: null,
  merchantCurrency: null,
  mcc: '5812',
  descriptor,
  occurredAt: '2026-12-03T00:00:00Z',
});

describe('card event notifications', () => {
  it('tells of declines and refunds only, each once by its event id, in the contract shape', () => {
    const notifications = cardEventNotifications(
      [
        event('e1', 'AUTHORIZATION', 'APPROVED'),
        event('e2', 'AUTHORIZATION', 'INSUFFICIENT_FUNDS'),
        event('e3', 'FINANCIAL_AUTHORIZATION', 'CARD_PAUSED', null),
        event('e4', 'RETURN', 'APPROVED'),
        event('e5', 'RETURN', 'DECLINED'),
        event('e6', 'CLEARING', 'APPROVED'),
        event('e7', 'FINANCIAL_CREDIT_AUTHORIZATION', 'APPROVED'),
      ],
      card,
    );
    expect(notifications).toEqual([
      {
        id: 'card-declined:e2',
        userId: 'usr_1',
        kind: 'card_declined',
        data: {
          cardId: 'crd_1',
          amountMinor: '1250',
          currency: 'USD',
          merchant: 'SHOP',
          reason: 'INSUFFICIENT_FUNDS',
        },
      },
      {
        id: 'card-declined:e3',
        userId: 'usr_1',
        kind: 'card_declined',
        data: { cardId: 'crd_1', amountMinor: '1250', currency: 'USD', reason: 'CARD_PAUSED' },
      },
      {
        id: 'card-refund:e4',
        userId: 'usr_1',
        kind: 'card_refund',
        data: { cardId: 'crd_1', amountMinor: '1250', currency: 'USD', merchant: 'SHOP' },
      },
      {
        id: 'card-refund:e7',
        userId: 'usr_1',
        kind: 'card_refund',
        data: { cardId: 'crd_1', amountMinor: '1250', currency: 'USD', merchant: 'SHOP' },
      },
    ]);
    for (const notification of notifications)
      expect(notificationSchema.safeParse(notification).success).toBe(true);
  });
});
