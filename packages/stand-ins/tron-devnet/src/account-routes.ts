// The node API's account reads: TRX for the faucet, free bandwidth, and the chain's fee parameters.
import type { Hono } from 'hono';
import type { DevnetChain } from './chain.ts';
import { addressParameter, body } from './request.ts';

export function addAccountRoutes(app: Hono, chain: DevnetChain): void {
  app.post('/wallet/getaccount', async (context) => {
    const address = addressParameter((await body(context)).address);
    if (!address) return context.json({ Error: 'address is malformed' }, 400);
    // TRX: the faucet holds some; other accounts are unknown to the devnet until they matter ({} like a real node).
    if (address.hex20 !== chain.faucet.hex20) return context.json({});
    return context.json({ address: address.hex41, balance: 1_000_000_000_000, create_time: 0 });
  });
  app.post('/wallet/getaccountresource', (context) => context.json({ freeNetLimit: 600, EnergyLimit: 0 }));
  app.post('/wallet/getchainparameters', (context) =>
    context.json({
      chainParameter: [
        { key: 'getEnergyFee', value: 420 },
        { key: 'getTransactionFee', value: 1000 },
      ],
    }),
  );
}
