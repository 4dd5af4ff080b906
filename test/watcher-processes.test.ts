// Proves exactly-once hand-over when watcher processes really die: two `services/watcher/src/main.ts` processes run
// against the devnet, the real PostgreSQL and Temporal; while deposits stream in, a random one of them is killed with
// SIGKILL (mid-step, mid-dispatch, whatever it was doing) and started again. Every deposit's workflow records it once.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { findFreePort, repositoryRoot } from '@cardgate/local-stack';
import { accountExtendedPublicKey } from '@cardgate/tron';
import { createDepositAddressService } from '@cardgate/deposit-addresses';
import { startDevnet, type RunningDevnet } from '@cardgate/tron-devnet';
import { captureChildOutput, harnessContext, uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { withTestWorker } from '../services/worker/src/testing.ts';

const database = useTestDatabase();
let devnet: RunningDevnet;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLagBlocks: 3 });
});
afterAll(async () => devnet?.close());

// Each process's output goes to the test's log capture: shown if the test fails (the processes are numbered).
let watcherProcesses = 0;

async function startWatcherProcess(
  taskQueue: string,
  chainId: string,
  startBlock: number,
): Promise<ChildProcess> {
  const { temporalAddress, temporalNamespace } = harnessContext();
  watcherProcesses += 1;
  const child = spawn(process.execPath, ['services/watcher/src/main.ts'], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: temporalNamespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TRON_NODE_URLS: devnet.url,
      WATCHER_CHAIN_ID: chainId,
      // One start block for every process: a process restarted before the first checkpoint must not skip ahead.
      WATCHER_START_BLOCK: String(startBlock),
      WATCHER_IDLE_POLL_MS: '100',
      WATCHER_STANDBY_POLL_MS: '200',
      WATCHER_BACKOFF_MAX_MS: '1000',
      WATCHER_HEALTH_PORT: String(await findFreePort()),
      LOG_LEVEL: 'info',
    },
  });
  return captureChildOutput(child, `watcher ${watcherProcesses}`);
}

describe('watcher processes killed at random', () => {
  it('hands every deposit over exactly once', async () => {
    const addresses = createDepositAddressService({
      pool: database.pool,
      xpub: accountExtendedPublicKey(
        'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
        4,
      ),
      account: 4,
    });
    const users = await Promise.all(
      Array.from({ length: 4 }, (_, index) => addresses.assign(`process-${index}`)),
    );
    const chainId = `processes-${uniqueSuffix()}`;
    const startBlock = devnet.chain.headNumber + 1;
    const txIds: string[] = [];
    let kills = 0;
    await withTestWorker({ pool: database.pool, label: 'processes' }, async ({ taskQueue }) => {
      const watchers = [
        await startWatcherProcess(taskQueue, chainId, startBlock),
        await startWatcherProcess(taskQueue, chainId, startBlock),
      ];
      try {
        for (let round = 0; round < 30; round += 1) {
          txIds.push(
            devnet.chain.submitTransfer([
              { to: users[round % users.length]!.base58, amountMinor: BigInt(10_000 + round) },
            ]),
          );
          devnet.chain.produce(1);
          await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
          if (round % 5 === 2) {
            const victim = Math.floor(Math.random() * watchers.length);
            watchers[victim]!.kill('SIGKILL');
            kills += 1;
            watchers[victim] = await startWatcherProcess(taskQueue, chainId, startBlock);
          }
        }
        devnet.chain.produce(5);
        const deadline = Date.now() + 90_000;
        for (;;) {
          const count = await database.pool.oneFirst(sql.type(z.object({ count: z.bigint() }))`
            select count(*) as count from deposit_receipt where tx_id = any(${sql.array(txIds, 'text')})`);
          if (count === BigInt(txIds.length) || Date.now() > deadline) break;
          devnet.chain.produce(1);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } finally {
        for (const watcher of watchers) watcher.kill('SIGKILL');
      }
    });
    const receipts = await database.pool.any(sql.type(z.object({ tx_id: z.string(), count: z.bigint() }))`
      select tx_id, count(*) as count from deposit_receipt where tx_id = any(${sql.array(txIds, 'text')}) group by tx_id`);
    expect(receipts).toHaveLength(txIds.length);
    expect(receipts.every((row) => row.count === 1n)).toBe(true);
    const finals = await database.pool.oneFirst(sql.type(z.object({ count: z.bigint() }))`
      select count(*) as count from deposit_outbox where event = 'final' and tx_id = any(${sql.array(txIds, 'text')})`);
    expect(finals).toBe(BigInt(txIds.length));
    expect(kills).toBe(6);
  }, 180_000);
});
