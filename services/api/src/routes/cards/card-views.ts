// What the card routes answer: a card with its ledger balance, a load with its quote, a card event as the user sees
// it, and the opaque cursors of their pages. Amounts leave as decimal strings with their asset.
import type { Card, StoredCardLoad } from '@cardgate/card-store';
import type { CardTransactionEvent } from '@cardgate/contracts';
import { AppError } from '@cardgate/errors';
import type { Ledger } from '@cardgate/ledger';
import { assetByCode, parseMinorUnits, type Money } from '@cardgate/money';
import { z } from '@hono/zod-openapi';
import { money } from '../../lib/schemas.ts';
import { cardBalanceOf } from './card-ledger.ts';
import { cardStateName } from '../../lib/card-state.ts';
import type { cardLoadSchema, cardSchema, cardTransactionSchema } from './cards.routes.ts';

type CardBody = z.infer<typeof cardSchema>;
type CardLoadBody = z.infer<typeof cardLoadSchema>;
type CardTransactionBody = z.infer<typeof cardTransactionSchema>;

export async function cardView(ledger: Ledger, card: Card): Promise<CardBody> {
  const balance = await cardBalanceOf(ledger, card.id, card.userId);
  return {
    id: card.id,
    state: cardStateName(card.state, card.id),
    stateChange:
      card.requestedState === null || card.requestedState === card.state
        ? null
        : card.requestedState === 'PAUSED'
          ? 'freezing'
          : 'unfreezing',
    lastFour: card.lastFour,
    autoLoad: card.autoLoad,
    createdAt: card.createdAt,
    balance: {
      posted: money(balance.posted),
      pending: money(balance.pending),
      available: money(balance.available),
    },
  };
}

const loadStatusNames = {
  holding: 'pending',
  loading: 'loading',
  loaded: 'loaded',
  failed: 'failed',
} as const;

export function cardLoadView(load: StoredCardLoad): CardLoadBody {
  const quote = load.quote;
  return {
    id: load.loadId,
    cardId: load.cardId,
    status: loadStatusNames[load.status],
    amount: money(load.amount),
    rate: load.rate,
    gross: quote ? money(quote.gross) : null,
    spread: quote ? money(quote.spread) : null,
    fee: quote ? money(quote.fee) : null,
    received: load.net ? money(load.net) : null,
  };
}

function categoryOf(event: CardTransactionEvent): CardTransactionBody['category'] {
  if (event.result !== 'APPROVED') return 'decline';
  switch (event.kind) {
    case 'AUTHORIZATION':
    case 'AUTHORIZATION_ADVICE':
      return 'authorization';
    case 'AUTHORIZATION_REVERSAL':
    case 'AUTHORIZATION_EXPIRY':
      return 'release';
    case 'CLEARING':
    case 'FINANCIAL_AUTHORIZATION':
    case 'CORRECTION_DEBIT':
      return 'clearing';
    case 'RETURN':
    case 'CREDIT_AUTHORIZATION':
    case 'FINANCIAL_CREDIT_AUTHORIZATION':
    case 'CORRECTION_CREDIT':
      return 'refund';
    case 'RETURN_REVERSAL':
      return 'refund_reversal';
    case 'BALANCE_INQUIRY':
      return 'inquiry';
  }
}

/** Minor units of a currency Cardgate knows; null for one it does not (a merchant's local currency). */
function moneyOfMinor(minor: string, currency: string): Money | null {
  try {
    return parseMinorUnits(minor, assetByCode(currency), { allowZero: true });
  } catch {
    return null;
  }
}

export function cardTransactionView(event: CardTransactionEvent): CardTransactionBody {
  const amount = moneyOfMinor(event.amountMinor, event.currency);
  // The card's own currency is one Cardgate issues in; anything else is a provider fault, not a user's problem.
  if (!amount) throw new Error(`card event ${event.eventId} is in the unknown currency ${event.currency}`);
  const merchant =
    event.merchantAmountMinor !== null && event.merchantCurrency !== null
      ? moneyOfMinor(event.merchantAmountMinor, event.merchantCurrency)
      : null;
  return {
    eventId: event.eventId,
    transactionId: event.providerTransactionId,
    category: categoryOf(event),
    kind: event.kind,
    result: event.result,
    amount: money(amount),
    merchantAmount: merchant ? money(merchant) : null,
    descriptor: event.descriptor,
    mcc: event.mcc,
    occurredAt: event.occurredAt,
  };
}

/** An opaque cursor: the position of a page's last item, base64url JSON. */
export function encodeCursor(position: Record<string, string>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T extends z.ZodType>(
  cursor: string | undefined,
  schema: T,
): z.infer<T> | undefined {
  if (cursor === undefined) return undefined;
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('rule_violation', 'query.cursor: not a cursor this list gave', {
      reason: 'validation_failed',
      details: { field: 'query.cursor', issue: 'invalid_cursor' },
    });
  }
}

/** A timestamp as the store writes them in cursors (ISO 8601 UTC). */
export const cursorTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/);
