// `npm run reconcile [-- --json]`: one reconciliation run (the ledger against itself, the chain and the card provider
// against the ledger), stored like the scheduled ones. A progress bar on stderr while it reads, then a table; with
// --json, the report as JSON on stdout (amounts as decimal strings of minor units). Exit status 0 only when nothing
// differs: 1 when something does, 2 when the run itself failed, 78 for a bad environment.
// It reads the services' variables (DATABASE_URL, TRON_NODE_URLS, WATCHER_CHAIN_ID, WATCHER_START_BLOCK,
// CARD_PROVIDER_URL, CARD_PROVIDER_API_KEY, ...); those unset are taken from a running `npm run dev` (dev-defaults.ts).
import { parseArgs } from 'node:util';
import { loadEnvOrExit } from '@cardgate/config';
import { createDatabasePool } from '@cardgate/db';
import {
  createReconciler,
  reconcilerOptionsFrom,
  reconciliationEnvironment,
  reportToJson,
} from '@cardgate/reconciliation';
import { developmentDefaults } from './dev-defaults.ts';
import { createProgress } from './progress.ts';
import { renderReport } from './render.ts';

const usage = `usage: npm run reconcile [-- --json] [-- --help]
  Compares the ledger with itself, the TRON chain and the card provider; prints a table (or JSON with --json).
  Exit status: 0 nothing differs, 1 differences found, 2 the run failed, 78 a variable is missing or invalid.
  Environment: the services' variables (DATABASE_URL, TRON_NODE_URLS, WATCHER_CHAIN_ID, WATCHER_START_BLOCK,
  CARD_PROVIDER_URL, CARD_PROVIDER_API_KEY, RECONCILE_CREDIT_GRACE_BLOCKS, RECONCILE_PROVIDER_GRACE_MS,
  RECONCILE_NODE_CONCURRENCY); unset ones come from a running npm run dev.`;

const { values } = parseArgs({
  options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
});
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const defaults = developmentDefaults();
const environment = loadEnvOrExit(reconciliationEnvironment, { ...defaults.variables, ...process.env });
if (defaults.note && !values.json) process.stderr.write(`${defaults.note}\n`);
const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  maxPoolSize: 8,
  applicationName: 'cardgate-reconcile',
});
const progress = createProgress(process.stderr);
let exitCode = 2;
try {
  const report = await createReconciler(reconcilerOptionsFrom(environment, pool)).run({
    trigger: 'cli',
    onProgress: (event) => progress.update(event),
  });
  progress.stop();
  process.stdout.write(
    values.json ? `${JSON.stringify(reportToJson(report), null, 2)}\n` : renderReport(report),
  );
  exitCode = report.differences === 0 ? 0 : 1;
} catch (error) {
  progress.stop();
  process.stderr.write(`reconcile failed: ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  await pool.end();
}
process.exit(exitCode);
