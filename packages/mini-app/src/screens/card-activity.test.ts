// Proves a card's event list reads as the user expects: one line per purchase in the state of its newest event
// (an authorization then its clearing is one "Completed" line), money out negative, a refund positive, a decline and
// a release unsigned (nothing moved), and an event without a descriptor still gets a line.
import { describe, expect, it } from 'vitest';
import type { CardTransaction } from '../api/index.ts';
import { cardActivity } from './card-activity.ts';

let eventNumber = 0;
function event(
  transactionId: string,
  category: CardTransaction['category'],
  amount: string,
  descriptor: string | null = 'COFFEE SHOP',
): CardTransaction {
  eventNumber += 1;
  return {
    eventId: `evt_${eventNumber}`,
    transactionId,
    category,
    kind: category.toUpperCase(),
    result: category === 'decline' ? 'INSUFFICIENT_FUNDS' : 'APPROVED',
    amount: { amount, asset: 'USD' },
    merchantAmount: null,
    descriptor,
    mcc: '5814',
    occurredAt: `2026-12-03T10:0${eventNumber % 10}:00.000000Z`,
  };
}

describe('cardActivity', () => {
  it('shows a purchase once, in the state of its newest event, as money out', () => {
    const lines = cardActivity([event('txn_1', 'clearing', '1.25'), event('txn_1', 'authorization', '1.25')]);
    expect(lines).toEqual([
      expect.objectContaining({
        transactionId: 'txn_1',
        merchant: 'COFFEE SHOP',
        stateKey: 'card.txn.posted',
        amount: { amount: '-1.25', asset: 'USD' },
        signed: true,
      }),
    ]);
  });

  it('signs a refund in, leaves a decline and a release unsigned, and keeps the order of the list', () => {
    const lines = cardActivity([
      event('txn_4', 'refund', '3.00', null),
      event('txn_3', 'release', '2.00'),
      event('txn_2', 'decline', '900.00'),
      event('txn_1', 'authorization', '0.00'),
    ]);
    expect(lines.map((line) => [line.transactionId, line.stateKey, line.amount.amount, line.signed])).toEqual(
      [
        ['txn_4', 'card.txn.refund', '3.00', true],
        ['txn_3', 'card.txn.released', '2.00', false],
        ['txn_2', 'card.txn.declined', '900.00', false],
        ['txn_1', 'card.txn.pending', '0.00', true],
      ],
    );
    expect(lines[0]!.merchant).toBeNull();
  });
});
