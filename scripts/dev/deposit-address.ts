// `node scripts/dev/deposit-address.ts <userId>`: assigns (or shows) a user's deposit address in the development
// database, derived from the development mnemonic's account xpub. Then send it devnet USDT with
// `node packages/stand-ins/tron-devnet/src/send-usdt.ts <address> <amount>` and watch the watcher and worker logs.
import { createDatabasePool } from '@cardgate/db';
import { createDepositAddressService } from '@cardgate/deposit-addresses';
import { defaultLocalPostgresUrl, withDatabase } from '@cardgate/local-stack';
import { developmentDepositXpub } from './development-keys.ts';

const userId = process.argv[2];
if (!userId) {
  process.stderr.write('usage: deposit-address <userId>\n');
  process.exit(64);
}
const pool = await createDatabasePool({
  connectionUri: process.env.DATABASE_URL ?? withDatabase(defaultLocalPostgresUrl, 'cardgate'),
});
const service = createDepositAddressService({
  pool,
  xpub: developmentDepositXpub,
  account: 0,
});
const address = await service.assign(userId);
process.stdout.write(`${userId}: ${address.base58} (index ${address.derivationIndex})\n`);
await pool.end();
