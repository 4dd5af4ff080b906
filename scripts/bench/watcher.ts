// `npm run bench:watcher`: catch-up speed and hand-over latency of the deposit watcher, in-process against the TRON
// devnet over HTTP, the real PostgreSQL and a real Temporal dev server. Backlog (issue 4): 20,000 blocks of 200
// transactions, a third of them USDT transfers, 1% of those to our addresses; 100,000 watched addresses.
// Targets: catch-up ≥ 500 blocks/s; p99 < 1 s from a block becoming final to its deposits being handed over.
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createLogger } from '@cardgate/config';
import { findFreePort, findOrStartTemporal, waitForPort } from '@cardgate/local-stack';
import { createTronNodeClient, parseTronAddress } from '@cardgate/tron';
import { createDepositAddressStore, depositAddressRowsMax } from '@cardgate/deposit-addresses';
import { expectedSyntheticDeposits, mainnetUsdtContract } from '@cardgate/tron-devnet';
import { spawn } from 'node:child_process';
import type { DepositEvent } from '@cardgate/contracts';
import { AddressBook } from '../../services/watcher/src/address-book.ts';
import { createDepositAddressSource } from '../../services/watcher/src/address-book-store.ts';
import { createDepositStore } from '@cardgate/deposit-store';
import { createFollower } from '../../services/watcher/src/follower.ts';
import { createLeaderLock } from '../../services/watcher/src/leader-lock.ts';
import { createWatcherMetrics } from '../../services/watcher/src/metrics.ts';
import { createMetricsRegistry } from '@cardgate/metrics';
import { createOutboxDispatcher } from '../../services/watcher/src/outbox-dispatcher.ts';
import { createTemporalHandOver } from '../../services/watcher/src/temporal-hand-over.ts';
import { createTronChainSource } from '../../services/watcher/src/tron-chain-source.ts';
import { createWatcherLoop } from '../../services/watcher/src/watcher.ts';
import { percentileMs } from './stats.ts';
import { createBenchDatabase } from './database.ts';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const handOverDisabled = process.env.BENCH_WATCHER_NO_HANDOVER === '1';
const backlogBlocks = Math.round(20_000 * scale);
const watchedAddresses = 100_000;
const latencyDeposits = 200;
const solidityLagBlocks = 18;
const load = { transactionsPerBlock: 200, usdtShare: 1 / 3, ourShare: 0.01 };

const { url, pool, close } = await createBenchDatabase('cardgate_bench_watcher', 8);

// On this 2-core machine the Temporal dev server, the devnet and the watcher share the CPU; in production the server
// is a cluster of its own. Starting a workflow costs the dev server about 6 ms of CPU (measured), so handing over
// 13,333 deposits in 40 s would take 2 cores by itself. By default the server runs at nice 19: it gets the CPU the
// watcher and the devnet leave, which is what catch-up looks like when Temporal is elsewhere, and hands over at its
// own pace, printed as the end-to-end figure. BENCH_TEMPORAL_NICE=0 shares the CPU equally instead.
const temporalNiceness = Number(process.env.BENCH_TEMPORAL_NICE ?? '19');
const temporal = await findOrStartTemporal(temporalNiceness > 0 ? { niceness: temporalNiceness } : {});
const connection = await Connection.connect({ address: temporal.address });
const client = new Client({ connection, namespace: temporal.namespace });

// 100,000 watched addresses (random valid TRON addresses; derivation is not what is measured here).
const addresses = Array.from({ length: watchedAddresses }, () =>
  parseTronAddress(`41${randomBytes(20).toString('hex')}`),
);
const addressStore = createDepositAddressStore(pool);
for (let offset = 0; offset < addresses.length; offset += depositAddressRowsMax) {
  await addressStore.importAddresses(
    addresses.slice(offset, offset + depositAddressRowsMax).map((address, index) => ({
      userId: `bench-${offset + index}`,
      chainAccount: 0,
      derivationIndex: offset + index,
      base58: address.base58,
      hex41: address.hex41,
    })),
  );
}

// The devnet runs in its own process, as a node would: serving blocks must not share the watcher's one thread.
const devnetPort = await findFreePort();
const devnetProcess = spawn(process.execPath, ['packages/stand-ins/tron-devnet/src/main.ts'], {
  env: {
    ...process.env,
    TRON_DEVNET_PORT: String(devnetPort),
    TRON_DEVNET_BLOCK_INTERVAL_MS: '0',
    TRON_DEVNET_SOLIDITY_LAG_BLOCKS: String(solidityLagBlocks),
    LOG_LEVEL: 'warn',
  },
  stdio: 'inherit',
});
const devnetUrl = `http://127.0.0.1:${devnetPort}`;
await waitForPort(devnetPort, 30_000);
const admin = async (
  path: string,
  payload: unknown,
): Promise<{ head: number; solidified?: number; txId?: string }> => {
  const response = await fetch(`${devnetUrl}/admin/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return (await response.json()) as { head: number; solidified?: number; txId?: string };
};
const ours = addresses.slice(0, 5_000).map((address) => address.base58);
const firstBacklogBlock = (await admin('produce', { count: 0 })).head + 1;
await admin('synthetic', {
  blocks: backlogBlocks,
  ourAddresses: ours,
  transactionsPerBlock: load.transactionsPerBlock,
});
// Empty blocks on top, so every backlog block is at or below the solidified head: all its deposits are final.
await admin('produce', { count: solidityLagBlocks });
const expectedDeposits = expectedSyntheticDeposits(backlogBlocks, firstBacklogBlock, {
  ...load,
  ourAddresses: ours,
});
if (handOverDisabled)
  console.log('hand-over to Temporal disabled (BENCH_WATCHER_NO_HANDOVER=1): the watcher alone');
else
  console.log(
    temporalNiceness > 0
      ? `Temporal dev server at nice ${temporalNiceness}: CPU it would take from the watcher goes to the watcher first (BENCH_TEMPORAL_NICE=0 to share)`
      : 'Temporal dev server sharing the CPU equally with the watcher and the devnet',
  );
console.log(
  `backlog: ${backlogBlocks} blocks × ${load.transactionsPerBlock} transactions, ${expectedDeposits} deposits to ours; ${watchedAddresses} watched addresses`,
);

// Hand-over timing: when each final event reached Temporal.
const finalHandedOverAt = new Map<string, number>();
const temporalHandOver = createTemporalHandOver(client, `bench-${Date.now()}`);
const metrics = createWatcherMetrics({ registry: createMetricsRegistry({ service: 'bench-watcher' }) });
const loop = createWatcherLoop({
  follower: createFollower({
    source: createTronChainSource({
      name: 'devnet',
      client: createTronNodeClient({ baseUrl: devnetUrl, timeoutMs: 30_000 }),
      tokenContract: mainnetUsdtContract,
      infoConcurrencyMax: Number(process.env.BENCH_INFO_CONCURRENCY ?? 16),
    }),
    store: createDepositStore(pool, { chain: 'bench', contract: mainnetUsdtContract, asset: 'USDT' }),
    addressBook: new AddressBook(createDepositAddressSource(pool)),
    finality: { kind: 'solidified' },
    startBlockNumber: firstBacklogBlock,
    batchBlocksMax: Number(process.env.BENCH_BATCH_BLOCKS ?? 100),
    reorgDepthMax: 64,
    keepBlocksBelowFinal: 64,
  }),
  dispatcher: createOutboxDispatcher({
    pool,
    handOver: {
      async handOver(event: DepositEvent) {
        // BENCH_WATCHER_NO_HANDOVER=1 measures the watcher without the Temporal server's share of these 2 cores.
        if (!handOverDisabled) await temporalHandOver.handOver(event);
        if (event.event === 'final')
          finalHandedOverAt.set(`${event.txId}:${event.logIndex}`, performance.now());
      },
    },
    batchRowsMax: 1_000,
    concurrencyMax: 32,
  }),
  leaderLock: createLeaderLock(url, 99),
  metrics,
  logger: createLogger({ service: 'bench-watcher', level: 'warn' }),
  idlePollMs: 50,
  standbyPollMs: 100,
  backoffMsMin: 50,
  backoffMsMax: 1_000,
});
const stop = new AbortController();
const running = loop.run(stop.signal);

// 1. Catch-up: from the first backlog block to the head, every deposit handed over as final.
const catchUpStarted = performance.now();
const target = (await admin('produce', { count: 0 })).head;
let blocksDoneAt = 0;
for (;;) {
  if (!blocksDoneAt && metrics.position().processedBlock >= target) blocksDoneAt = performance.now();
  if (blocksDoneAt && finalHandedOverAt.size >= expectedDeposits) break;
  if (performance.now() - catchUpStarted > 15 * 60_000) throw new Error('catch-up took more than 15 minutes');
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const catchUpSeconds = (blocksDoneAt - catchUpStarted) / 1000;
const handOverSeconds = (performance.now() - catchUpStarted) / 1000;
console.log(
  `catch-up: ${backlogBlocks} blocks in ${catchUpSeconds.toFixed(1)} s = ${Math.round(backlogBlocks / catchUpSeconds)} blocks/s (target ≥ 500)`,
);
console.log(
  `          all ${expectedDeposits} deposits ${handOverDisabled ? 'through the outbox (not sent to Temporal)' : 'handed over to Temporal'} after ${handOverSeconds.toFixed(1)} s = ${Math.round(backlogBlocks / handOverSeconds)} blocks/s end to end`,
);

// 2. Latency: one deposit per block at mainnet-like pace (a block every 100 ms here); measure from the moment its
// block becomes final (the devnet produces the block that puts it at the solidified head) to its hand-over.
const finalAt = new Map<string, number>();
const pendingFinal: { key: string; block: number }[] = [];
for (let round = 0; round < latencyDeposits + solidityLagBlocks; round += 1) {
  if (round < latencyDeposits) {
    const { txId, head } = await admin('transfer', {
      to: ours[round % ours.length]!,
      amountMinor: '1000000',
    });
    pendingFinal.push({ key: `${txId}:0`, block: head + 1 });
  }
  const solidified = (await admin('produce', { count: 1 })).solidified!;
  const now = performance.now();
  while (pendingFinal.length > 0 && pendingFinal[0]!.block <= solidified)
    finalAt.set(pendingFinal.shift()!.key, now);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const latencyDeadline = performance.now() + 30_000;
while ([...finalAt.keys()].some((key) => !finalHandedOverAt.has(key)) && performance.now() < latencyDeadline)
  await new Promise((resolve) => setTimeout(resolve, 20));
const latencies = [...finalAt.entries()].map(
  ([key, at]) => (finalHandedOverAt.get(key) ?? Number.POSITIVE_INFINITY) - at,
);
console.log(
  `final → handed over: p50 ${percentileMs(latencies, 0.5).toFixed(0)} ms, p99 ${percentileMs(latencies, 0.99).toFixed(0)} ms over ${latencies.length} deposits (target p99 < 1000 ms)`,
);

stop.abort();
await running;
devnetProcess.kill('SIGTERM');
await connection.close();
await temporal.stop();
await close();
