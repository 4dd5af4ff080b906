// `node packages/stand-ins/tron-devnet/src/main.ts [--fresh]`: the devnet as a process, for `npm run dev`. With
// TRON_DEVNET_STATE_DIR it keeps its chain (blocks, transfers, reorgs, queued transactions) in that directory and
// resumes it on restart; --fresh discards it first. Without it, the chain lives in memory and starts at genesis.
import { createLogger, envLogLevel, envPort, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { z } from 'zod';
import { discardChainStore } from './chain-store.ts';
import { startDevnet } from './server.ts';

const environment = loadEnvOrExit({
  TRON_DEVNET_PORT: envPort.default(8090),
  TRON_DEVNET_BLOCK_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(3_000),
  TRON_DEVNET_SOLIDITY_LAG_BLOCKS: z.coerce.number().int().min(0).max(1_000).default(18),
  TRON_DEVNET_STATE_DIR: z.string().min(1).optional(),
  LOG_LEVEL: envLogLevel.default('info'),
});
const fresh = process.argv.slice(2).includes('--fresh');
const stateDirectory = environment.TRON_DEVNET_STATE_DIR;
if (fresh && stateDirectory !== undefined) discardChainStore(stateDirectory);
const logger = createLogger({ service: 'tron-devnet', level: environment.LOG_LEVEL });
const devnet = await startDevnet({
  port: environment.TRON_DEVNET_PORT,
  blockIntervalMs: environment.TRON_DEVNET_BLOCK_INTERVAL_MS,
  solidityLagBlocks: environment.TRON_DEVNET_SOLIDITY_LAG_BLOCKS,
  ...(stateDirectory === undefined ? {} : { stateDirectory }),
});
logger.info(
  {
    url: devnet.url,
    usdt: devnet.chain.usdt.base58,
    faucet: devnet.chain.faucet.base58,
    head: devnet.chain.headNumber,
    stateDirectory: stateDirectory ?? null,
    fresh,
  },
  'tron devnet running',
);
onShutdown(logger, () => devnet.close());
