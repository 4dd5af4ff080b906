// Proves a card load survives its worker process being killed mid-flow: a real `services/worker/src/main.ts` process
// starts the load while the provider is slow, is killed with SIGKILL while the load call is in flight, and a new
// process finishes the workflow. The card is loaded exactly once and the ledger equals the sandbox.
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { createHttpCardProvider } from '@cardgate/card-provider';
import { startCardSandbox } from '@cardgate/card-sandbox';
import { createLedger } from '@cardgate/ledger';
import { findFreePort, repositoryRoot } from '@cardgate/local-stack';
import {
  captureChildOutput,
  harnessContext,
  testRedisPrefix,
  testTaskQueue,
  uniqueSuffix,
  useTestDatabase,
} from '@cardgate/test-harness';
import { Client, Connection } from '@temporalio/client';
import { cardLoadWorkflowId, cardLoadWorkflowType, type CardLoadWorkflow } from '@cardgate/contracts';
import { chart } from '@cardgate/domain';
import { fundWallet } from '../services/worker/src/testing.ts';
import { webhookSecret } from './card-stack.ts';

const database = useTestDatabase();
const apiKey = 'crash-sandbox-key';

// Each process's output goes to the test's log capture: shown if the test fails (the processes are numbered).
let workerProcesses = 0;

async function startWorkerProcess(taskQueue: string, sandboxUrl: string): Promise<ChildProcess> {
  const { temporalAddress, temporalNamespace, redisUrl } = harnessContext();
  workerProcesses += 1;
  const child = spawn(process.execPath, ['services/worker/src/main.ts'], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: temporalNamespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_HEALTH_PORT: String(await findFreePort()),
      CARD_PROVIDER_URL: sandboxUrl,
      CARD_PROVIDER_API_KEY: apiKey,
      DEPOSIT_FEE_FIXED_USDT: '0',
      DEPOSIT_FEE_BPS: '0',
      DEPOSIT_REVIEW_BELOW_USDT: '1',
      CARD_ISSUE_FEE_USDT: '0',
      USDT_USD_RATE: '1',
      FX_SPREAD_BPS: '0',
      CARD_LIMIT_PER_LOAD_USD: '500',
      CARD_LIMIT_DAILY_USD: '1000',
      CARD_LIMIT_MONTHLY_USD: '3000',
      CARD_BALANCE_MAX_USD: '1000',
      // No schedule left firing on the shared test server after the test.
      CARD_LOAD_SWEEP_EVERY: 'off',
      // Notifications and user events under prefixes of the test's own: never in the queue a local bot reads.
      NOTIFICATION_QUEUE_PREFIX: testRedisPrefix('queue'),
      USER_EVENTS_REDIS_PREFIX: testRedisPrefix('events'),
      LOG_LEVEL: 'info',
    },
  });
  return captureChildOutput(child, `worker ${workerProcesses}`);
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

describe('a worker process killed in the middle of a card load', () => {
  it('is resumed by another process, and the card is loaded exactly once', async () => {
    const sandbox = await startCardSandbox({ port: 0, apiKey, webhookSecret });
    const provider = createHttpCardProvider({ baseUrl: sandbox.url, apiKey });
    const { temporalAddress, temporalNamespace } = harnessContext();
    const connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection, namespace: temporalNamespace });
    const ledger = createLedger({ pool: database.pool });
    const taskQueue = testTaskQueue('crash');
    const workers: ChildProcess[] = [];
    try {
      // A user with 25 USDT and an issued card (made directly: this test is about the load).
      const userId = `crash-${uniqueSuffix()}`;
      const card = await provider.createCard({ idempotencyKey: `crd_${uniqueSuffix()}0000` });
      const cardId = `crd_crash${uniqueSuffix()}`;
      const [cardAccount] = await ledger.createAccounts([chart.card(cardId, userId)]);
      await database.pool.query(sql.type(z.object({}))`
        insert into card (id, user_id, provider_token, state, ledger_account_id)
        values (${cardId}, ${userId}, ${card.token}, 'OPEN', ${cardAccount!.id})`);
      await fundWallet(ledger, userId, '25');

      sandbox.sandbox.faults.set({ latencyMs: 1_500 });
      workers.push(await startWorkerProcess(taskQueue, sandbox.url));
      const loadId = `crash-${uniqueSuffix()}`;
      const handle = await client.workflow.start<CardLoadWorkflow>(cardLoadWorkflowType, {
        taskQueue,
        workflowId: cardLoadWorkflowId(loadId),
        args: [{ loadId, userId, cardId, amountUsdtMinor: '20000000' }],
      });
      // Kill the worker while the load call is in flight (the row says `loading` once the call has begun).
      await expect
        .poll(
          () =>
            database.pool.maybeOneFirst(sql.type(z.object({ status: z.string() }))`
              select status from card_load where id = ${loadId}`),
          { timeout: 30_000, interval: 50 },
        )
        .toBe('loading');
      workers[0]!.kill('SIGKILL');
      await exited(workers[0]!);
      sandbox.sandbox.faults.set({ latencyMs: 0 });
      workers.push(await startWorkerProcess(taskQueue, sandbox.url));

      expect(await handle.result()).toMatchObject({ status: 'loaded', usdMinor: '2000' });
      const transactionsAndLoads = sandbox.sandbox.summary;
      expect(transactionsAndLoads.loads).toBe(1);
      const sandboxCard = await provider.getCard(card.token);
      expect(sandboxCard.balance.settled.minor).toBe(2_000n);
      const account = await ledger.accountByCode(chart.card(cardId, userId).code);
      expect(account!.creditsPosted - account!.debitsPosted).toBe(2_000n);
      expect((await ledger.verify()).ok).toBe(true);
    } finally {
      for (const worker of workers) worker.kill('SIGKILL');
      await Promise.all(workers.map(exited));
      await connection.close();
      await sandbox.close();
    }
  }, 90_000);
});
