// Proves exactly-once hand-over through crashes and failover, on the devnet over HTTP, the real PostgreSQL and the
// real Temporal server: two watchers run against one database; while deposits stream in, the active watcher's
// database connections are killed at random moments (as when its process dies between two writes); the other takes
// over. At the end every deposit was handed over and its workflow recorded it exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { createDatabasePool, sql, type DatabasePool } from '@cardgate/db';
import { accountExtendedPublicKey, createTronNodeClient } from '@cardgate/tron';
import { createDepositAddressService } from '@cardgate/deposit-addresses';
import { mainnetUsdtContract, startDevnet, type RunningDevnet } from '@cardgate/tron-devnet';
import { testLogger, uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { withTestWorker } from '../services/worker/src/testing.ts';
import { AddressBook } from '../services/watcher/src/address-book.ts';
import { createDepositAddressSource } from '../services/watcher/src/address-book-store.ts';
import { createDepositStore } from '@cardgate/deposit-store';
import { createFollower } from '../services/watcher/src/follower.ts';
import { createLeaderLock } from '../services/watcher/src/leader-lock.ts';
import { createWatcherMetrics } from '../services/watcher/src/metrics.ts';
import { createMetricsRegistry } from '@cardgate/metrics';
import { createOutboxDispatcher } from '../services/watcher/src/outbox-dispatcher.ts';
import { createTemporalHandOver } from '../services/watcher/src/temporal-hand-over.ts';
import { createTronChainSource } from '../services/watcher/src/tron-chain-source.ts';
import { createWatcherLoop } from '../services/watcher/src/watcher.ts';

const database = useTestDatabase();
const logger = testLogger('watcher-test');
let devnet: RunningDevnet;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLagBlocks: 3 });
});
afterAll(async () => devnet?.close());

async function startWatcher(name: string, client: Client, taskQueue: string, chainLockId: number) {
  const applicationName = `watcher-${name}-${uniqueSuffix()}`;
  const pool: DatabasePool = await createDatabasePool({
    connectionUri: database.url,
    applicationName,
    maxPoolSize: 4,
  });
  const lockUrl = new URL(database.url);
  lockUrl.searchParams.set('application_name', applicationName);
  const loop = createWatcherLoop({
    follower: createFollower({
      source: createTronChainSource({
        name,
        client: createTronNodeClient({ baseUrl: devnet.url, timeoutMs: 2_000 }),
        tokenContract: mainnetUsdtContract,
        infoConcurrencyMax: 4,
      }),
      store: createDepositStore(pool, {
        chain: `failover-${chainLockId}`,
        contract: mainnetUsdtContract,
        asset: 'USDT',
      }),
      addressBook: new AddressBook(createDepositAddressSource(pool)),
      finality: { kind: 'solidified' },
      startBlockNumber: devnet.chain.headNumber + 1,
      batchBlocksMax: 20,
      reorgDepthMax: 32,
      keepBlocksBelowFinal: 16,
    }),
    dispatcher: createOutboxDispatcher({
      pool,
      handOver: createTemporalHandOver(client, taskQueue),
      batchRowsMax: 50,
      concurrencyMax: 8,
    }),
    leaderLock: createLeaderLock(lockUrl.toString(), chainLockId),
    metrics: createWatcherMetrics({ registry: createMetricsRegistry({ service: 'watcher' }) }),
    logger,
    idlePollMs: 20,
    standbyPollMs: 50,
    backoffMsMin: 10,
    backoffMsMax: 200,
  });
  const stop = new AbortController();
  const running = loop.run(stop.signal);
  // Stopping is bounded: a watcher stuck on a dead connection must not hold the test past its own timeout.
  const stopWatcher = async (): Promise<void> => {
    stop.abort();
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await pool.end();
  };
  return { applicationName, stop: stopWatcher };
}

describe('watcher failover and crashes', () => {
  it('hands every deposit over exactly once while the active watcher keeps dying', async () => {
    await withTestWorker({ pool: database.pool, label: 'failover' }, async ({ client, taskQueue }) => {
      const chainLockId = Math.floor(Math.random() * 1_000_000);
      const addresses = createDepositAddressService({
        pool: database.pool,
        xpub: accountExtendedPublicKey(
          'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
          3,
        ),
        account: 3,
      });
      const users = await Promise.all(
        Array.from({ length: 5 }, (_, index) => addresses.assign(`failover-${index}`)),
      );
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      const watchers = [
        await startWatcher('a', client, taskQueue, chainLockId),
        await startWatcher('b', client, taskQueue, chainLockId),
      ];
      const txIds: string[] = [];
      let kills = 0;
      try {
        {
          for (let round = 0; round < 40; round += 1) {
            txIds.push(
              devnet.chain.submitTransfer([
                { to: users[round % users.length]!.base58, amountMinor: BigInt(1_000 + round) },
              ]),
            );
            devnet.chain.produce(1);
            await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
            if (Math.random() < 0.3) {
              // Kill whichever watcher holds the lock: its lock session and its pool, mid-whatever it was doing.
              const killed = await admin.query<{ application_name: string }>(
                `select application_name from pg_stat_activity where pid in (
                 select pid from pg_locks where locktype = 'advisory' and objid = $1 and granted)`,
                [chainLockId],
              );
              const victim = killed.rows[0]?.application_name;
              if (victim) {
                await admin.query(
                  'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
                  [victim],
                );
                kills += 1;
              }
            }
          }
          devnet.chain.produce(5);
          // Wait until every deposit's receipt is recorded (bounded).
          const deadline = Date.now() + 60_000;
          for (;;) {
            const count = await database.pool.oneFirst(sql.type(z.object({ count: z.bigint() }))`
            select count(*) as count from deposit_receipt where tx_id = any(${sql.array(txIds, 'text')})`);
            if (count === BigInt(txIds.length) || Date.now() > deadline) break;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
        const receipts = await database.pool.any(sql.type(z.object({ tx_id: z.string(), count: z.bigint() }))`
        select tx_id, count(*) as count from deposit_receipt where tx_id = any(${sql.array(txIds, 'text')}) group by tx_id`);
        expect(receipts).toHaveLength(txIds.length);
        expect(receipts.every((row) => row.count === 1n)).toBe(true);
        const outbox = await database.pool.any(sql.type(z.object({ event: z.string(), count: z.bigint() }))`
        select event, count(*) as count from deposit_outbox where tx_id = any(${sql.array(txIds, 'text')}) group by event order by event`);
        // One 'final' per deposit; a deposit first reached after it was already final (a watcher catching up after a
        // kill) has no 'seen' event, so 'seen' counts at most one per deposit.
        expect(outbox.find((row) => row.event === 'final')?.count).toBe(BigInt(txIds.length));
        expect(outbox.find((row) => row.event === 'seen')?.count ?? 0n).toBeLessThanOrEqual(
          BigInt(txIds.length),
        );
        expect(kills).toBeGreaterThan(0);
      } finally {
        for (const watcher of watchers) await watcher.stop().catch(() => undefined);
        await admin.end();
      }
    });
  }, 150_000);
});
