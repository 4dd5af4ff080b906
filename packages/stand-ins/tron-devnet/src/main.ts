// `node packages/stand-ins/tron-devnet/src/main.ts`: the devnet as a process, for `npm run dev`.
import { createLogger, envLogLevel, envPort, loadEnvOrExit, onShutdown } from '@cardgate/config';
import { z } from 'zod';
import { startDevnet } from './server.ts';

const environment = loadEnvOrExit({
  TRON_DEVNET_PORT: envPort.default(8090),
  TRON_DEVNET_BLOCK_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(3_000),
  TRON_DEVNET_SOLIDITY_LAG_BLOCKS: z.coerce.number().int().min(0).max(1_000).default(18),
  LOG_LEVEL: envLogLevel.default('info'),
});
const logger = createLogger({ service: 'tron-devnet', level: environment.LOG_LEVEL });
const devnet = await startDevnet({
  port: environment.TRON_DEVNET_PORT,
  blockIntervalMs: environment.TRON_DEVNET_BLOCK_INTERVAL_MS,
  solidityLagBlocks: environment.TRON_DEVNET_SOLIDITY_LAG_BLOCKS,
});
logger.info(
  { url: devnet.url, usdt: devnet.chain.usdt.base58, faucet: devnet.chain.faucet.base58 },
  'tron devnet running',
);
onShutdown(logger, () => devnet.close());
