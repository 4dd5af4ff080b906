// `npm run ops -- <command>`: the operators' command line. Commands are in commands/*.ts, each writing the same
// audit rows as the API's operator routes (actor `cli:<os user>`). Arguments are parsed with node:util's parseArgs
// (Node's own; no library needed for a handful of flags).
import { userInfo } from 'node:os';
import { createLogger, loadEnvOrExit } from '@cardgate/config';
import { createDatabasePool } from '@cardgate/db';
import { isAppError } from '@cardgate/errors';
import { commands, helpText, type CommandContext } from './commands.ts';
import { opsEnvironment } from './env.ts';

const [name, ...rest] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];
if (!command || name === 'help' || rest.includes('--help')) {
  process.stdout.write(helpText());
  process.exit(command || name === undefined || name === 'help' || rest.includes('--help') ? 0 : 64);
}
const environment = loadEnvOrExit(opsEnvironment);
const logger = createLogger({ service: 'ops', level: 'warn' });
const pool = await createDatabasePool({
  connectionUri: environment.DATABASE_URL,
  applicationName: 'cardgate-ops',
});
const context: CommandContext = {
  pool,
  logger,
  actor: `cli:${userInfo().username}`,
  write: (text) => void process.stdout.write(text),
  confirm: async (question) => {
    if (rest.includes('--yes')) return true;
    const { createInterface } = await import('node:readline/promises');
    const readline = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await readline.question(`${question} [y/N] `)).trim());
    } finally {
      readline.close();
    }
  },
};
try {
  process.exitCode = await command.run(rest, context);
} catch (error) {
  process.stderr.write(`ops ${name}: ${isAppError(error) ? error.publicMessage : String(error)}\n`);
  process.exitCode = isAppError(error) && error.httpStatus < 500 ? 65 : 70;
} finally {
  await pool.end();
}
