// bench:reconcile — a reconciliation at scale: 100,000 deposit addresses, 300,000 final USDT transfers to them on the
// devnet (three each, in 30 blocks of 10,000), and 1,000,000 ledger transfers (the 300,000 deposit credits, their
// 300,000 fees and 400,000 spends from the wallets), the card sandbox beside it. State is built with the owners' bulk
// imports (deposit addresses, ledger accounts and posted transfers); the devnet and the sandbox run as processes of
// their own, as a node and a provider would. Two runs: the first also reads and records every final block (the
// reconciler's record starts empty), the second reads only the blocks made final since. Each step is printed beside a
// floor measured in the same run on the same data (a count(*) scan of the same tables; the same number of plain node
// requests at the same concurrency) and the ratio. Target: a run under 60 s on this machine.
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { sql } from '@cardgate/db';
import { createDepositAddressStore, depositAddressRowsMax } from '@cardgate/deposit-addresses';
import { chart } from '@cardgate/domain';
import {
  importAccounts,
  importAccountsMax,
  importPostedTransfers,
  importTransfersMax,
  type ImportedTransfer,
} from '@cardgate/ledger';
import { findFreePort, waitForPort } from '@cardgate/local-stack';
import { moneyFromMinor, USDT } from '@cardgate/money';
import { createReconciler, type ReconciliationReport } from '@cardgate/reconciliation';
import { createHttpCardProvider } from '@cardgate/card-provider';
import { createTronNodeClient, parseTronAddress } from '@cardgate/tron';
import { devnetBalanceCheckerContract, mainnetUsdtContract } from '@cardgate/tron-devnet';
import { balancesHoldersMax } from '@cardgate/tron';
import { z } from 'zod';
import { createBenchDatabase } from './database.ts';

const addressCount = 100_000;
const depositsPerAddress = 3;
const transfersPerTransaction = 1_000;
const transactionsPerBlock = 10;
const spendsPerAddress = 4;
const solidityLagBlocks = 18;
const nodeConcurrency = 16;
const targetMs = 60_000;

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

const { pool, close } = await createBenchDatabase('cardgate_bench_reconcile', 16);
const children: ReturnType<typeof spawn>[] = [];
try {
  // --- the outside world: the devnet and the sandbox in processes of their own ------------------------------------
  const devnetPort = await findFreePort();
  const sandboxPort = await findFreePort();
  children.push(
    spawn(process.execPath, ['packages/stand-ins/tron-devnet/src/main.ts'], {
      env: {
        ...process.env,
        TRON_DEVNET_PORT: String(devnetPort),
        TRON_DEVNET_BLOCK_INTERVAL_MS: '0',
        TRON_DEVNET_SOLIDITY_LAG_BLOCKS: String(solidityLagBlocks),
        LOG_LEVEL: 'warn',
      },
      stdio: 'inherit',
    }),
    spawn(process.execPath, ['packages/stand-ins/card-sandbox/src/main.ts'], {
      env: {
        ...process.env,
        CARD_SANDBOX_PORT: String(sandboxPort),
        CARD_SANDBOX_API_KEY: 'bench-key',
        LOG_LEVEL: 'warn',
      },
      stdio: 'inherit',
    }),
  );
  await waitForPort(devnetPort, 30_000);
  await waitForPort(sandboxPort, 30_000);
  const devnetUrl = `http://127.0.0.1:${devnetPort}`;
  const admin = async (path: string, payload: unknown): Promise<{ head: number }> => {
    const response = await fetch(`${devnetUrl}/admin/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    if (!response.ok)
      throw new Error(`devnet /admin/${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as { head: number };
  };

  // --- state: addresses, chain transfers, ledger ---------------------------------------------------------------------
  const built = await timed(async () => {
    const addresses = Array.from({ length: addressCount }, (_, index) => ({
      userId: `bench-${index}`,
      address: parseTronAddress(`41${randomBytes(20).toString('hex')}`),
    }));
    const addressStore = createDepositAddressStore(pool);
    for (let offset = 0; offset < addresses.length; offset += depositAddressRowsMax)
      await addressStore.importAddresses(
        addresses.slice(offset, offset + depositAddressRowsMax).map((entry, index) => ({
          userId: entry.userId,
          chainAccount: 0,
          derivationIndex: offset + index,
          base58: entry.address.base58,
          hex41: entry.address.hex41,
        })),
      );

    // Deposits on chain: transactions of 1,000 transfers (log index = position), 10 per block.
    const deposits: { txId: string; logIndex: number; userId: string; amountMinor: bigint }[] = [];
    const transfers = Array.from({ length: addressCount * depositsPerAddress }, (_, index) => ({
      entry: addresses[index % addressCount]!,
      amountMinor: 10_000_000n + BigInt(index % 1_000),
    }));
    for (let offset = 0; offset < transfers.length; offset += transfersPerTransaction) {
      const batch = transfers.slice(offset, offset + transfersPerTransaction);
      const { txId } = (await admin('transfer', {
        transfers: batch.map((transfer) => ({
          to: transfer.entry.address.base58,
          amountMinor: transfer.amountMinor.toString(),
        })),
      })) as unknown as { txId: string };
      batch.forEach((transfer, logIndex) =>
        deposits.push({ txId, logIndex, userId: transfer.entry.userId, amountMinor: transfer.amountMinor }),
      );
      if ((offset / transfersPerTransaction + 1) % transactionsPerBlock === 0)
        await admin('produce', { count: 1 });
    }
    await admin('produce', { count: solidityLagBlocks + 1 });

    // The ledger: accounts in bulk, then deposits, fees and spends as posted transfers, a million in all.
    const specs = [
      chart.treasury,
      chart.depositFees,
      chart.cardIssueFees,
      ...addresses.map((entry) => chart.wallet(entry.userId)),
    ];
    const ids = new Map<string, bigint>();
    for (let offset = 0; offset < specs.length; offset += importAccountsMax)
      for (const [code, id] of await importAccounts(pool, specs.slice(offset, offset + importAccountsMax)))
        ids.set(code, id);
    const idOf = (code: string): bigint => ids.get(code)!;
    const treasury = idOf(chart.treasury.code);
    const fees = idOf(chart.depositFees.code);
    const spent = idOf(chart.cardIssueFees.code);
    const usdt = (minor: bigint) => moneyFromMinor(minor, USDT);
    const journal: ImportedTransfer[] = [];
    for (const deposit of deposits)
      journal.push({
        id: `deposit:${deposit.txId}:${deposit.logIndex}`,
        code: 'deposit',
        debitAccountId: treasury,
        creditAccountId: idOf(chart.wallet(deposit.userId).code),
        amount: usdt(deposit.amountMinor),
        metadata: { txId: deposit.txId, logIndex: deposit.logIndex, userId: deposit.userId },
      });
    for (const deposit of deposits)
      journal.push({
        id: `deposit:${deposit.txId}:${deposit.logIndex}:fee`,
        code: 'deposit_fee',
        debitAccountId: idOf(chart.wallet(deposit.userId).code),
        creditAccountId: fees,
        amount: usdt(600_000n),
      });
    for (let index = 0; index < addressCount * spendsPerAddress; index += 1) {
      const userId = addresses[index % addressCount]!.userId;
      journal.push({
        id: `bench-spend:${index}`,
        code: 'bench_spend',
        debitAccountId: idOf(chart.wallet(userId).code),
        creditAccountId: spent,
        amount: usdt(1_000_000n),
      });
    }
    for (let offset = 0; offset < journal.length; offset += importTransfersMax)
      await importPostedTransfers(
        pool,
        journal.slice(offset, offset + importTransfersMax),
        `bench-${offset}`,
      );
    await pool.query(sql.type(z.object({}))`analyze`);
    return { deposits: deposits.length, transfers: journal.length };
  });
  say(
    `state: ${addressCount} addresses, ${built.value.deposits} final transfers on chain, ` +
      `${built.value.transfers} ledger transfers; built in ${seconds(built.ms)} (not measured)`,
  );

  // --- floors, measured on the same data ----------------------------------------------------------------------------
  const count = z.object({ count: z.bigint() });
  const scanFloor = await timed(() =>
    pool.one(sql.type(
      count,
    )`select (select count(*) from ledger_transfer) + (select count(*) from ledger_account)
      as count`),
  );
  const client = createTronNodeClient({ baseUrl: devnetUrl, timeoutMs: 30_000, socketsMax: nodeConcurrency });
  const head = (await client.latestHeader()).block_header.raw_data.number ?? 0;
  // As many plain requests as the balance calls (one per 500 addresses through the balance checker).
  const balanceCalls = Math.ceil(addressCount / balancesHoldersMax);
  const requestFloor = await timed(async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: nodeConcurrency }, async () => {
        while (next < balanceCalls) {
          next += 1;
          await client.blockHeader(head);
        }
      }),
    );
  });
  const blockFloor = await timed(async () => {
    for (let number = 0; number <= head; number += 1) await client.transactionInfoByBlock(number);
  });
  say(
    `floors: count(*) of ledger_transfer and ledger_account ${seconds(scanFloor.ms)}; ` +
      `${balanceCalls} plain node requests (a block header, as many as the balance calls) ${nodeConcurrency} at a time ${seconds(requestFloor.ms)}; ` +
      `every block's transaction info read once ${seconds(blockFloor.ms)}`,
  );

  // --- the runs -------------------------------------------------------------------------------------------------------
  const reconciler = createReconciler({
    pool,
    chain: {
      client,
      tokenContract: mainnetUsdtContract,
      concurrencyMax: nodeConcurrency,
      attemptsMax: 3,
      backoffMsMax: 1_000,
      chainId: 'bench',
      startBlock: 0,
      creditGraceBlocks: 0,
      balanceChecker: devnetBalanceCheckerContract,
    },
    provider: createHttpCardProvider({
      baseUrl: `http://127.0.0.1:${sandboxPort}`,
      apiKey: 'bench-key',
      timeoutMs: 10_000,
    }),
    providerGraceMs: 0,
  });
  const ratio = (ms: number, floorMs: number): string => `${(ms / Math.max(floorMs, 0.001)).toFixed(1)}×`;
  const print = (label: string, report: ReconciliationReport): void => {
    const t = report.timingsMs;
    // Figures from a shared machine mean little without its load: printed with each run.
    say(`${label}: load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
    say(
      `${label}: ${seconds(report.durationMs)} in all (target < ${seconds(targetMs)}: ${report.durationMs < targetMs ? 'met' : 'MISSED'}); ${report.differences} differences, ${report.inFlight} in flight`,
    );
    say(
      `  ledger verify              ${seconds(t.ledgerVerify!).padStart(9)}  floor count(*) ${seconds(scanFloor.ms)}  ${ratio(t.ledgerVerify!, scanFloor.ms)}`,
    );
    say(
      `  ledger reads (as of seq)   ${seconds(t.ledgerRead!).padStart(9)}  floor count(*) ${seconds(scanFloor.ms)}  ${ratio(t.ledgerRead!, scanFloor.ms)}`,
    );
    say(
      `  chain: blocks + balances   ${seconds(t.chainRead!).padStart(9)}  floor requests + blocks ${seconds(requestFloor.ms + blockFloor.ms)}  ${ratio(t.chainRead!, requestFloor.ms + blockFloor.ms)}`,
    );
    say(`  chain compare (pure)       ${seconds(t.chainCompare!).padStart(9)}`);
    say(`  provider read + compare    ${seconds(t.providerRead! + t.providerCompare!).padStart(9)}`);
    for (const comparison of report.comparisons)
      say(
        `  ${comparison.comparison.padEnd(9)} ${JSON.stringify(comparison.checked)} as of ${JSON.stringify(comparison.asOf)}`,
      );
    for (const finding of report.findings.slice(0, 5)) say(`  finding: ${finding.kind} ${finding.detail}`);
  };
  const first = await reconciler.run({ trigger: 'bench' });
  print('first run (reads and records every final block)', first);
  await admin('produce', { count: 5 });
  const second = await reconciler.run({ trigger: 'bench' });
  print('second run (reads only the blocks made final since)', second);
  if (first.differences + second.differences > 0) process.exitCode = 1;
} finally {
  for (const child of children) child.kill('SIGTERM');
  await close();
}
