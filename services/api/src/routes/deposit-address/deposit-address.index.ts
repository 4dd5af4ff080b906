// GET /v1/deposit-address: the signed-in user's one TRON address (packages/deposit-addresses hands it out once).
import { createDepositAddressService } from '@cardgate/deposit-addresses';
import { createRouter } from '../../lib/router.ts';
import type { V1Context } from '../../lib/dependencies.ts';
import { depositAddressHandlers } from './deposit-address.handlers.ts';
import { getDepositAddress } from './deposit-address.routes.ts';

export function createDepositAddressRoutes(context: V1Context) {
  const addresses = createDepositAddressService({
    pool: context.pool,
    xpub: context.settings.deposits.addressXpub,
    account: context.settings.deposits.addressAccount,
  });
  const handlers = depositAddressHandlers(addresses, context.settings);
  return createRouter().openapi(getDepositAddress, handlers.getDepositAddress);
}
