// For tests: a real worker on the harness's Temporal server, on a task queue of its own, with a client beside it.
// The worker polls only while `run` is in progress, and everything is closed afterwards, in the order Temporal needs
// (the native connection only after the worker has stopped). Activities get the real ledger on the test database, a
// BullMQ queue on the real Redis under the test's prefix, and the card provider the test passes (an HTTP adapter
// pointed at a card sandbox) or one that refuses every call.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '@cardgate/config';
import type { Reconciler } from '@cardgate/reconciliation';
import type { DatabasePool } from '@cardgate/db';
import { createLedger, type Ledger, type LedgerInvariantError } from '@cardgate/ledger';
import { parseMoney, USD, USDT } from '@cardgate/money';
import type { CardProvider } from '@cardgate/card-provider';
import { harnessContext, testLogger, testRedisPrefix, testTaskQueue } from '@cardgate/test-harness';
import { createActivities, type Activities, type MoneySettings } from './activities/index.ts';
import { notificationQueueName } from '@cardgate/contracts';
import type { UserEventPublisher } from '@cardgate/user-events';
import { chart } from '@cardgate/domain';
import { createWorker } from './worker.ts';

export interface TestWorkerContext {
  readonly client: Client;
  readonly taskQueue: string;
  readonly ledger: Ledger;
  readonly notifications: Queue;
}

/**
 * Prices the tests assume unless they pass their own: 0.5 USDT + 1% deposit fee, review below 5 USDT; the program
 * limits of `npm run dev`.
 */
export const testMoneySettings: MoneySettings = {
  deposit: { feeFixed: parseMoney('0.5', USDT), feeBasisPoints: 100n, reviewBelow: parseMoney('5', USDT) },
  cardIssueFee: parseMoney('2', USDT),
  fx: { usdtUsdRate: '0.9995', spreadBasisPoints: 150n },
  limits: {
    perLoad: parseMoney('500', USD),
    perDay: parseMoney('1000', USD),
    perMonth: parseMoney('3000', USD),
    cardBalanceMax: parseMoney('1000', USD),
  },
};

/** Credits a user's USDT wallet from the treasury, as a deposit would, for tests that start after the deposit. */
export async function fundWallet(ledger: Ledger, userId: string, usdt: string): Promise<void> {
  const [treasury, wallet] = await ledger.createAccounts([chart.treasury, chart.wallet(userId)]);
  await ledger.transfer({
    type: 'posted',
    id: `test-funding:${userId}:${randomUUID()}`,
    code: 'deposit',
    debitAccountId: treasury!.id,
    creditAccountId: wallet!.id,
    amount: parseMoney(usdt, USDT),
  });
}

/** What the user can spend: credits posted − debits posted − debits held (0 before the wallet exists). */
export async function walletAvailable(ledger: Ledger, userId: string): Promise<bigint> {
  const account = await ledger.accountByCode(chart.wallet(userId).code);
  return account ? account.creditsPosted - account.debitsPosted - account.debitsPending : 0n;
}

export const unconfiguredProvider = new Proxy({} as CardProvider, {
  get: (_target, name) => () =>
    Promise.reject(new Error(`no card provider configured for this test (${String(name)})`)),
});

export interface TestWorkerOptions {
  readonly pool: DatabasePool;
  readonly logger?: Logger;
  readonly label?: string;
  readonly provider?: CardProvider;
  readonly money?: MoneySettings;
  /** The scheduled reconciliation's runner. */
  readonly reconciler?: Reconciler;
  /** Replaces activities, to inject a fault into one step (a compensation that fails, a crash after a write). */
  readonly overrideActivities?: (activities: Activities) => Partial<Activities>;
  /** Where the activities publish the users' live events (none when absent). */
  readonly userEvents?: UserEventPublisher;
}

export async function withTestWorker<T>(
  options: TestWorkerOptions,
  run: (context: TestWorkerContext) => Promise<T>,
): Promise<T> {
  const { temporalAddress, temporalNamespace, redisUrl } = harnessContext();
  const taskQueue = testTaskQueue(options.label ?? 'worker');
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const connection = await Connection.connect({ address: temporalAddress });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const notifications = new Queue(notificationQueueName, {
    connection: redis,
    prefix: testRedisPrefix('bull'),
  });
  const ledger = createLedger({ pool: options.pool });
  const client = new Client({ connection, namespace: temporalNamespace });
  try {
    const activities = createActivities({
      pool: options.pool,
      logger: options.logger ?? testLogger('worker-test'),
      ledger,
      provider: options.provider ?? unconfiguredProvider,
      notifications,
      ...(options.userEvents ? { userEvents: options.userEvents } : {}),
      money: options.money ?? testMoneySettings,
      onBrokenInvariant: failTestOnBrokenInvariant,
      temporal: { client, taskQueue },
      ...(options.reconciler ? { reconciler: options.reconciler } : {}),
    });
    const worker = await createWorker({
      connection: nativeConnection,
      namespace: temporalNamespace,
      taskQueue,
      activities: { ...activities, ...options.overrideActivities?.(activities) },
    });
    return await worker.runUntil(run({ client, taskQueue, ledger, notifications }));
  } finally {
    await notifications.close();
    redis.disconnect();
    await connection.close();
    await nativeConnection.close();
  }
}

/**
 * Tests have no process to crash: a broken ledger invariant is printed (console.error always shows, even for a
 * passing test) so that it cannot go unnoticed; the ledger itself has already stopped writing.
 */
export function failTestOnBrokenInvariant(error: LedgerInvariantError): void {
  console.error(`BROKEN LEDGER INVARIANT: ${error.message}`);
}
