// The devnet's HTTP face: the full-node endpoints the watcher reads (POST JSON, `{}` for an unknown block or
// transaction, `{"Error": ...}` for bad requests) and an admin API to send USDT, produce blocks, reorganise the
// chain and inject faults (HTTP 429/5xx, latency, a node that stops advancing). Each group of routes is a module.
import { Hono } from 'hono';
import { serveApp, type RunningServer } from '@cardgate/health';
import { parseTronAddress } from '@cardgate/tron';
import { addAccountRoutes } from './account-routes.ts';
import { addAdminRoutes } from './admin-routes.ts';
import { addBlockRoutes } from './block-routes.ts';
import { DevnetChain, mainnetUsdtContract } from './chain.ts';
import { openChainStore } from './chain-store.ts';
import { addContractRoutes } from './contract-routes.ts';
import { addFaultMiddleware, type DevnetFaults } from './faults.ts';

export type { DevnetFaults } from './faults.ts';

export function createDevnetApp(chain: DevnetChain, faults: DevnetFaults) {
  const app = new Hono();
  addFaultMiddleware(app, faults);
  addBlockRoutes(app, chain);
  addContractRoutes(app, chain);
  addAccountRoutes(app, chain);
  addAdminRoutes(app, chain, faults);
  return app;
}

export interface StartDevnetOptions {
  readonly port: number;
  readonly host?: string;
  /** Produce a block every this many ms; 0 produces blocks only on demand. */
  readonly blockIntervalMs: number;
  readonly solidityLagBlocks?: number;
  readonly usdtContract?: string;
  readonly faucetAddress?: string;
  /** Keep the chain in this directory and resume it from there; without one, the chain lives in memory only. */
  readonly stateDirectory?: string;
}

export interface RunningDevnet extends RunningServer {
  readonly chain: DevnetChain;
  readonly faults: DevnetFaults;
}

/** The faucet: a well-known devnet address that pays out test USDT. */
export const devnetFaucetAddress = parseTronAddress('41' + 'fa'.repeat(20)).base58;

export async function startDevnet(options: StartDevnetOptions): Promise<RunningDevnet> {
  const identity = {
    usdtContract: options.usdtContract ?? mainnetUsdtContract,
    faucetAddress: options.faucetAddress ?? devnetFaucetAddress,
  };
  const store =
    options.stateDirectory === undefined ? undefined : openChainStore(options.stateDirectory, identity);
  const chain = new DevnetChain({
    solidityLagBlocks: options.solidityLagBlocks ?? 18,
    ...identity,
    ...(store ? { genesisTimestampMs: store.genesisTimestampMs } : {}),
  });
  if (store) {
    for (const operation of store.operations) chain.replay(operation);
    chain.attachJournal(store.journal);
  }
  const faults: DevnetFaults = {};
  const server = await serveApp(createDevnetApp(chain, faults), options.port, options.host);
  const timer =
    options.blockIntervalMs > 0 ? setInterval(() => chain.produce(1), options.blockIntervalMs) : undefined;
  return {
    url: server.url,
    chain,
    faults,
    close: async () => {
      if (timer) clearInterval(timer);
      await server.close();
      store?.close();
    },
  };
}
