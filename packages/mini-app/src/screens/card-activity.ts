// A card's transactions as the user reads them: the API lists the provider's events (an authorization, then its
// clearing, a release, a refund), newest first; the user sees one line per purchase or refund, in the state of its
// newest event, with money out signed negative. Pure, so it is tested without a browser.
import type { CardTransaction, Money } from '../api/index.ts';
import type { MessageKey } from '../i18n/i18n.ts';

export interface CardActivityLine {
  readonly transactionId: string;
  readonly merchant: string | null;
  readonly occurredAt: string;
  readonly stateKey: MessageKey;
  /** Signed from the card's side: negative is money out; unsigned where nothing moved (a decline, a release). */
  readonly amount: Money;
  readonly signed: boolean;
}

const stateKeys: Record<CardTransaction['category'], MessageKey> = {
  authorization: 'card.txn.pending',
  clearing: 'card.txn.posted',
  decline: 'card.txn.declined',
  release: 'card.txn.released',
  refund: 'card.txn.refund',
  refund_reversal: 'card.txn.refundReversal',
  inquiry: 'card.txn.inquiry',
};

/** Categories whose amount leaves the card (shown negative); a refund comes in; the others move nothing. */
const moneyOut = new Set<CardTransaction['category']>(['authorization', 'clearing', 'refund_reversal']);

function negative(money: Money): Money {
  const zero = /^0(\.0+)?$/.test(money.amount);
  return zero || money.amount.startsWith('-') ? money : { ...money, amount: `-${money.amount}` };
}

export function cardActivity(events: readonly CardTransaction[]): CardActivityLine[] {
  const seen = new Set<string>();
  const lines: CardActivityLine[] = [];
  for (const event of events) {
    // Newest first: the first event of a transaction is its current state.
    if (seen.has(event.transactionId)) continue;
    seen.add(event.transactionId);
    const out = moneyOut.has(event.category);
    lines.push({
      transactionId: event.transactionId,
      merchant: event.descriptor,
      occurredAt: event.occurredAt,
      stateKey: stateKeys[event.category],
      amount: out ? negative(event.amount) : event.amount,
      signed: out || event.category === 'refund',
    });
  }
  return lines;
}
