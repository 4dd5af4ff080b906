// GET /v1/balances: the signed-in user's wallet and cards, in one database round trip (packages/user-balances).
import { createUserBalances } from '@cardgate/user-balances';
import { createRouter } from '../../lib/router.ts';
import type { V1Context } from '../../lib/dependencies.ts';
import { balancesHandlers } from './balances.handlers.ts';
import { getBalances } from './balances.routes.ts';

export function createBalancesRoutes(context: V1Context) {
  const handlers = balancesHandlers(createUserBalances(context.pool));
  return createRouter().openapi(getBalances, handlers.getBalances);
}
