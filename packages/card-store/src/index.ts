// The one owner of the card tables: card, card_event, card_load, card_quote and card_transaction. The API (webhook events) and
// the worker (the card flows) read and write them only through this module; nothing else names these tables in SQL.
import type { DatabasePool } from '@cardgate/db';
import { createCardEventStore } from './card-events.ts';
import { createCardLoadTable } from './card-loads.ts';
import { createCardQuoteTable } from './card-quotes.ts';
import { createCardTransactionTable } from './card-transactions.ts';
import { createCardTable } from './cards.ts';

export * from './card-events.ts';
export * from './card-loads.ts';
export * from './card-load-usage.ts';
export * from './card-quotes.ts';
export * from './card-transactions.ts';
export * from './cards.ts';
export * from './reconciliation-reads.ts';
export * from './cards-of-user-query.ts';

export function createCardStore(pool: DatabasePool) {
  return {
    cards: createCardTable(pool),
    events: createCardEventStore(pool),
    loads: createCardLoadTable(pool),
    quotes: createCardQuoteTable(pool),
    transactions: createCardTransactionTable(pool),
  };
}

export type CardStore = ReturnType<typeof createCardStore>;
