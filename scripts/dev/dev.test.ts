// Proves `npm run dev` survives its own faults, with the real services on free ports, a state directory and database
// of this test's own, and a Temporal dev server it starts: a deposit is sent, the worker is killed with SIGKILL while
// the deposit waits for finality, and is restarted; the deposit is credited exactly once. Then the Temporal dev server
// is killed and restarted on its state file, and a second deposit goes through the reconnected watcher and worker,
// also exactly once. Finally a SIGTERM to the dev main stops every process it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDatabasePool, sql, type DatabasePool } from '@cardgate/db';
import { dropDatabase, findFreePort, repositoryRoot, withDatabase } from '@cardgate/local-stack';
import { createDepositAddressService } from '@cardgate/deposit-addresses';
import { accountExtendedPublicKey } from '@cardgate/tron';
import { harnessContext, uniqueSuffix } from '@cardgate/test-harness';
import { isProcessAlive, type DevState } from './state.ts';

const stateDirectory = mkdtempSync(join(tmpdir(), 'cardgate-dev-test-'));
const { postgresAdminUrl, redisUrl } = harnessContext();
const databaseName = `cardgate_test_${Math.floor(Date.now() / 1000)}_${uniqueSuffix()}`;
const databaseUrl = withDatabase(postgresAdminUrl, databaseName);
const lines: string[] = [];
let dev: ChildProcess | undefined;
let pool: DatabasePool | undefined;

afterAll(async () => {
  if (dev && dev.exitCode === null) dev.kill('SIGKILL');
  await pool?.end();
  await dropDatabase(postgresAdminUrl, databaseName).catch(() => undefined);
  rmSync(stateDirectory, { recursive: true, force: true });
});

async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms; last lines:\n${lines.slice(-30).join('\n')}`);
    await sleep(100);
  }
}

const saw = (line: string): boolean => lines.includes(line);
const devState = (): DevState =>
  JSON.parse(readFileSync(join(stateDirectory, 'dev.json'), 'utf8')) as DevState;

async function creditedDeposits(): Promise<number> {
  return pool!.oneFirst(
    sql.type(
      z.object({ count: z.number() }),
    )`select count(*)::int4 as count from ledger_transfer where code = 'deposit'`,
  );
}

async function sendUsdt(devnetUrl: string, to: string, amountMinor: bigint): Promise<void> {
  const response = await fetch(`${devnetUrl}/admin/transfer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to, amountMinor: amountMinor.toString() }),
  });
  expect(response.ok).toBe(true);
}

describe('npm run dev under faults', () => {
  it('restarts a killed worker and Temporal server, the deposits finish once, and SIGTERM stops everything', async () => {
    const ports = {
      API_PORT: await findFreePort(),
      WATCHER_HEALTH_PORT: await findFreePort(),
      WORKER_HEALTH_PORT: await findFreePort(),
      TRON_DEVNET_PORT: await findFreePort(),
      CARD_SANDBOX_PORT: await findFreePort(),
      TELEGRAM_STAND_IN_PORT: await findFreePort(),
      BOT_HEALTH_PORT: await findFreePort(),
      TEMPORAL_PORT: await findFreePort(),
      TEMPORAL_UI_PORT: await findFreePort(),
    };
    const environment: NodeJS.ProcessEnv = { ...process.env };
    delete environment.TEMPORAL_ADDRESS;
    delete environment.BOT_TOKEN; // the bot talks to the Bot API stand-in
    dev = spawn(process.execPath, ['scripts/dev/main.ts', '--fresh'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...environment,
        ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
        CARDGATE_DEV_STATE_DIR: stateDirectory,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        // Finality in about a second: 5 blocks of 200 ms.
        TRON_DEVNET_BLOCK_INTERVAL_MS: '200',
        TRON_DEVNET_SOLIDITY_LAG_BLOCKS: '5',
        LOG_LEVEL: 'warn',
      },
    });
    for (const stream of [dev.stdout!, dev.stderr!])
      stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const exited = new Promise<number | null>((resolve) => dev!.once('exit', (code) => resolve(code)));
    await until('ready', () => lines.some((line) => line.startsWith('[dev] ready.')), 90_000);
    expect(lines).toContain(
      `[dev] --fresh: dropped database ${databaseName}; removed no state files (there were none)`,
    );

    pool = await createDatabasePool({ connectionUri: databaseUrl, maxPoolSize: 2 });
    const addresses = createDepositAddressService({
      pool,
      xpub: accountExtendedPublicKey(
        'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
        0,
      ),
      account: 0,
    });
    const address = await addresses.assign('dev-test-user');
    const devnetUrl = `http://127.0.0.1:${ports.TRON_DEVNET_PORT}`;

    // The worker dies while the deposit is seen and not yet final.
    await sendUsdt(devnetUrl, address.base58, 25_000_000n);
    await until(
      'deposit seen',
      async () =>
        (await pool!.maybeOneFirst(
          sql.type(z.object({ status: z.string() }))`select status from deposit limit 1`,
        )) !== null,
      15_000,
    );
    const workerPid = devState().processes.worker!;
    process.kill(workerPid, 'SIGKILL');
    await until(
      'worker back',
      () => lines.some((line) => line.startsWith('[dev] worker is running again')),
      30_000,
    );
    expect(saw('[dev] worker exited (signal SIGKILL); restarting in 0.5 s (restart 1)')).toBe(true);
    expect(devState().processes.worker).not.toBe(workerPid);
    await until('first deposit credited', async () => (await creditedDeposits()) === 1, 30_000);

    // The Temporal dev server dies; it comes back on its SQLite file and the processes reconnect to it.
    process.kill(devState().processes.temporal!, 'SIGKILL');
    await until(
      'temporal back',
      () => lines.some((line) => line.startsWith('[dev] temporal is running again')),
      30_000,
    );
    expect(saw('[dev] temporal exited (signal SIGKILL); restarting in 0.5 s (restart 1)')).toBe(true);
    await sendUsdt(devnetUrl, address.base58, 30_000_000n);
    await until('second deposit credited', async () => (await creditedDeposits()) === 2, 45_000);
    // Exactly once: a while later still one credit per deposit, and each deposit has one receipt.
    await sleep(1_000);
    expect(await creditedDeposits()).toBe(2);
    const receipts = await pool.oneFirst(
      sql.type(z.object({ count: z.number() }))`select count(*)::int4 as count from deposit_receipt`,
    );
    expect(receipts).toBe(2);

    const children = devState().childPids;
    expect(children).toHaveLength(8); // Temporal, 3 stand-ins, api, watcher, worker, bot
    dev.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(saw('[dev] SIGTERM: stopping everything (send it again to kill at once)')).toBe(true);
    expect(lines.at(-1)).toBe('[dev] stopped');
    expect(children.filter(isProcessAlive)).toEqual([]);
    expect(lines.filter((line) => / exited \(/.test(line) && line.startsWith('[dev]'))).toHaveLength(2);
  }, 180_000);
});
