// `node services/watcher/src/rescan-cli.ts FROM TO`: an operator's rescan with the watcher's own configuration.
// Outbox events it records are handed to Temporal by the running watcher's dispatcher.
import { createLogger, loadEnvOrExit } from '@cardgate/config';
import { createDatabasePool } from '@cardgate/db';
import { createTronNodeClient } from '@cardgate/tron';
import { AddressBook } from './address-book.ts';
import { createDepositAddressSource } from './address-book-store.ts';
import { createDepositStore } from '@cardgate/deposit-store';
import { createFailoverSource } from './failover-source.ts';
import { rescan } from './rescan.ts';
import { createTronChainSource } from './tron-chain-source.ts';
import { watcherEnvironment } from './env.ts';

const [fromText, toText] = process.argv.slice(2);
if (!fromText || !toText || !/^\d+$/.test(fromText) || !/^\d+$/.test(toText)) {
  process.stderr.write('usage: rescan-cli FROM TO   (block numbers, inclusive)\n');
  process.exit(64);
}
const environment = loadEnvOrExit(watcherEnvironment);
const logger = createLogger({ service: 'watcher-rescan', level: environment.LOG_LEVEL });
const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  applicationName: 'cardgate-rescan',
});
try {
  const result = await rescan({
    source: createFailoverSource({
      sources: environment.TRON_NODE_URLS.map((url, index) =>
        createTronChainSource({
          name: `node${index}`,
          client: createTronNodeClient({ baseUrl: url, timeoutMs: 10_000 }),
          tokenContract: environment.USDT_CONTRACT,
          infoConcurrencyMax: 8,
        }),
      ),
      behindBlocksMax: 20,
      headCheckIntervalMs: 30_000,
      coolDownMsMin: 500,
      coolDownMsMax: 30_000,
    }),
    store: createDepositStore(pool, {
      chain: environment.WATCHER_CHAIN_ID,
      contract: environment.USDT_CONTRACT,
      asset: 'USDT',
    }),
    addressBook: new AddressBook(createDepositAddressSource(pool)),
    finality: environment.WATCHER_FINALITY,
    fromInclusive: Number(fromText),
    toInclusive: Number(toText),
    batchBlocksMax: environment.WATCHER_BATCH_BLOCKS,
  });
  logger.info(result, 'rescan done');
} finally {
  await pool.end();
}
