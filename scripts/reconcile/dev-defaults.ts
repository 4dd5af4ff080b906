// Where `npm run reconcile` finds the parts of a running `npm run dev` when the services' variables are not set: the
// database, the devnet and the sandbox on their dev ports, the world's chain id and the sandbox's development key.
import { developmentApiKey } from '@cardgate/card-sandbox';
import { devnetBalanceCheckerContract } from '@cardgate/tron-devnet';
import { readDevState } from '../dev/state.ts';
import { readWorld } from '../dev/world.ts';

export function developmentDefaults(): { variables: Record<string, string>; note?: string } {
  const state = readDevState();
  const world = readWorld();
  if (!state || !world) return { variables: {} };
  const postgres = state.endpoints.PostgreSQL;
  const variables: Record<string, string> = {
    TRON_NODE_URLS: `http://127.0.0.1:${process.env.TRON_DEVNET_PORT ?? '8090'}`,
    WATCHER_CHAIN_ID: world.chainId,
    WATCHER_START_BLOCK: '0',
    CARD_PROVIDER_URL: `http://127.0.0.1:${process.env.CARD_SANDBOX_PORT ?? '8091'}`,
    CARD_PROVIDER_API_KEY: developmentApiKey,
    // The devnet makes a block a second: 60 blocks is a minute for the watcher and the worker to credit.
    RECONCILE_CREDIT_GRACE_BLOCKS: '60',
    RECONCILE_BALANCE_CHECKER_CONTRACT: devnetBalanceCheckerContract,
    // The sandbox retries webhooks for about 10 minutes; 2 minutes covers a restarting receiver.
    RECONCILE_PROVIDER_GRACE_MS: '120000',
    ...(postgres && !postgres.includes('***') ? { DATABASE_URL: postgres } : {}),
  };
  return {
    variables,
    note: `[reconcile] the npm run dev system (world ${world.chainId}) for unset variables`,
  };
}
