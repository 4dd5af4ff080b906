// For the card flow tests: the whole card path on real parts. A card sandbox over HTTP, the API's webhook route
// served on a real port (the sandbox's webhooks go there), and a real worker whose card provider is the production
// HTTP adapter pointed at the sandbox. Helpers fund a wallet, issue a card, and read the ledger's view of a card in
// the sandbox's terms so the two can be compared.
import { randomUUID } from 'node:crypto';
import type { DatabasePool } from '@cardgate/db';
import { createHttpCardProvider, type CardProvider } from '@cardgate/card-provider';
import { startCardSandbox } from '@cardgate/card-sandbox';
import { serveApp } from '@cardgate/health';
import {
  cardIssueWorkflowId,
  cardIssueWorkflowType,
  type CardIssueResult,
  type CardIssueWorkflow,
} from '@cardgate/contracts';
import { testLogger } from '@cardgate/test-harness';
import { createApp } from '../services/api/src/app.ts';
import { createCardEventDispatcher } from '../services/api/src/card-events/event-dispatcher.ts';
import { createCardEventStore } from '../services/api/src/card-events/event-store.ts';
import { createTemporalCardEventHandOver } from '../services/api/src/card-events/temporal-hand-over.ts';
import { chart } from '@cardgate/domain';
import {
  fundWallet,
  walletAvailable,
  withTestWorker,
  type TestWorkerContext,
  type TestWorkerOptions,
} from '../services/worker/src/testing.ts';

export const sandboxApiKey = 'test-sandbox-key';
export const webhookSecret = 'whsec_dGVzdC13ZWJob29rLXNlY3JldC0xMjM0NTY3ODkw';

export interface CardStack extends TestWorkerContext {
  readonly sandbox: Awaited<ReturnType<typeof startCardSandbox>>;
  readonly provider: CardProvider;
  readonly apiUrl: string;
  fundWallet(userId: string, usdt: string): Promise<void>;
  issueCard(
    userId: string,
    options?: { autoLoad?: boolean },
  ): Promise<CardIssueResult & { status: 'issued' }>;
  /** The ledger's card account in the sandbox's terms: settled (posted net), pending (holds), available. */
  ledgerCard(
    cardId: string,
    userId: string,
  ): Promise<{ settled: bigint; pending: bigint; available: bigint }>;
  sandboxCard(providerToken: string): Promise<{ settled: bigint; pending: bigint; available: bigint }>;
  /** Waits until every webhook the sandbox queued was answered and the API handed every stored event over. */
  webhooksSettled(): Promise<void>;
  walletAvailable(userId: string): Promise<bigint>;
}

export async function withCardStack<T>(
  options: Omit<TestWorkerOptions, 'provider'> & { holdLifetimeOverrideMs?: number },
  run: (stack: CardStack) => Promise<T>,
): Promise<T> {
  const pool: DatabasePool = options.pool;
  const logger = testLogger('card-stack-test');
  const store = createCardEventStore(pool);
  let context: TestWorkerContext | undefined;
  const dispatcher = createCardEventDispatcher({
    store,
    logger,
    sweepIntervalMs: 200,
    sweepAfterMs: 500,
    handOver: (event) => {
      if (!context) return Promise.reject(new Error('the worker is not running yet'));
      return createTemporalCardEventHandOver(context.client, {
        taskQueue: context.taskQueue,
        holdLifetimeOverrideMs: options.holdLifetimeOverrideMs,
      })(event);
    },
  });
  const api = await serveApp(
    createApp({ logger, healthChecks: {}, cardWebhooks: { secret: webhookSecret, store, dispatcher } }),
    0,
  );
  dispatcher.start();
  const sandbox = await startCardSandbox({
    port: 0,
    apiKey: sandboxApiKey,
    webhookSecret,
    webhookUrl: `${api.url}/webhooks/card-provider`,
  });
  const provider = createHttpCardProvider({
    baseUrl: sandbox.url,
    apiKey: sandboxApiKey,
    timeoutMs: 2_000,
    attemptsMax: 3,
    backoffMsMax: 50,
  });
  try {
    return await withTestWorker({ ...options, provider }, async (worker) => {
      context = worker;
      const { ledger } = worker;
      return run({
        ...worker,
        sandbox,
        provider,
        apiUrl: api.url,
        fundWallet: (userId, usdt) => fundWallet(ledger, userId, usdt),
        async issueCard(userId, issueOptions = {}) {
          const cardId = `crd_${randomUUID().replaceAll('-', '')}`;
          const result = await worker.client.workflow.execute<CardIssueWorkflow>(cardIssueWorkflowType, {
            taskQueue: worker.taskQueue,
            workflowId: cardIssueWorkflowId(cardId),
            args: [{ cardId, userId, autoLoad: issueOptions.autoLoad ?? false }],
          });
          if (result.status !== 'issued') throw new Error(`card issue failed: ${JSON.stringify(result)}`);
          return result;
        },
        async ledgerCard(cardId, userId) {
          const account = await ledger.accountByCode(chart.card(cardId, userId).code);
          if (!account) return { settled: 0n, pending: 0n, available: 0n };
          const settled = account.creditsPosted - account.debitsPosted;
          return { settled, pending: account.debitsPending, available: settled - account.debitsPending };
        },
        async sandboxCard(providerToken) {
          const card = await provider.getCard(providerToken);
          return {
            settled: card.balance.settled.minor,
            pending: card.balance.pending.minor,
            available: card.balance.available.minor,
          };
        },
        async webhooksSettled() {
          await sandbox.sandbox.webhooks.idle();
          await dispatcher.sweep();
        },
        walletAvailable: (userId) => walletAvailable(ledger, userId),
      });
    });
  } finally {
    context = undefined;
    await dispatcher.stop();
    await sandbox.close();
    await api.close();
  }
}
