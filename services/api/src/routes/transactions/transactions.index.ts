// GET /v1/transactions: the signed-in user's statement from the ledger (packages/ledger ownerStatement).
import { createLedgerReads } from '@cardgate/ledger';
import { createRouter } from '../../lib/router.ts';
import type { V1Context } from '../../lib/dependencies.ts';
import { transactionsHandlers } from './transactions.handlers.ts';
import { listTransactions } from './transactions.routes.ts';

export function createTransactionsRoutes(context: V1Context) {
  const handlers = transactionsHandlers(createLedgerReads(context.pool));
  return createRouter().openapi(listTransactions, handlers.listTransactions);
}
