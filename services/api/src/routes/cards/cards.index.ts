// Routes of /v1/cards (issue 10): issue, list, read, freeze and unfreeze, auto-load, the card's transactions, and
// loading a card from a quote. Mounted by app.ts.
import { createRouter } from '../../lib/router.ts';
import type { V1Context } from '../../lib/dependencies.ts';
import { cardsHandlers } from './cards.handlers.ts';
import {
  freezeCard,
  getCard,
  issueCard,
  listCards,
  listCardTransactions,
  loadCard,
  unfreezeCard,
  updateCard,
} from './cards.routes.ts';

export function createCardsRoutes(context: V1Context) {
  const handlers = cardsHandlers(context);
  return createRouter()
    .openapi(issueCard, handlers.issue)
    .openapi(listCards, handlers.list)
    .openapi(getCard, handlers.get)
    .openapi(freezeCard, handlers.freeze)
    .openapi(unfreezeCard, handlers.unfreeze)
    .openapi(updateCard, handlers.update)
    .openapi(listCardTransactions, handlers.transactions)
    .openapi(loadCard, handlers.load);
}
