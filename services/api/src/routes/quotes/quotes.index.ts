// Routes of /v1/quotes (issue 10): a card load's quote, stored, valid for settings.quoteLifetimeMs. Mounted by app.ts.
import { createRouter } from '../../lib/router.ts';
import type { V1Context } from '../../lib/dependencies.ts';
import { quotesHandlers } from './quotes.handlers.ts';
import { createQuote } from './quotes.routes.ts';

export function createQuotesRoutes(context: V1Context) {
  const handlers = quotesHandlers(context);
  return createRouter().openapi(createQuote, handlers.create);
}
