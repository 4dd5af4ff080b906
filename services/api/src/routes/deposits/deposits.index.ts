// GET /v1/deposits: the signed-in user's deposits (packages/deposit-store) with what the ledger made of them.
import { createDepositAddressStore } from '@cardgate/deposit-addresses';
import { createDepositReads } from '@cardgate/deposit-store';
import { createLedgerReads } from '@cardgate/ledger';
import { createRouter } from '../../lib/router.ts';
import type { V1Context } from '../../lib/dependencies.ts';
import { depositsHandlers } from './deposits.handlers.ts';
import { listDeposits } from './deposits.routes.ts';

export function createDepositsRoutes(context: V1Context) {
  const handlers = depositsHandlers({
    addresses: createDepositAddressStore(context.pool),
    deposits: createDepositReads(context.pool),
    ledger: createLedgerReads(context.pool),
    confirmationsNeeded: context.settings.deposits.confirmationsNeeded,
  });
  return createRouter().openapi(listDeposits, handlers.listDeposits);
}
