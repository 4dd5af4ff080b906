// Proves the operator actions on flows stopped in `needs_operator`, on Temporal's time-skipping test server (the state
// is reached only after about 80 minutes of a flow's time: 20 rounds of asking a provider that answers 503):
// `resolveCardLoad` with the provider's load token
// posts the load, `retryCardIssue` lets the issue finish once the provider answers; a second resolution is a 409
// that sends nothing; each action is audited under its actor. The same functions serve /v1/ops and the command line.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpCardProvider } from '@cardgate/card-provider';
import { startCardSandbox } from '@cardgate/card-sandbox';
import {
  cardIssueWorkflowId,
  cardIssueWorkflowType,
  cardLoadWorkflowId,
  cardLoadWorkflowType,
  type CardIssueWorkflow,
  type CardLoadWorkflow,
} from '@cardgate/contracts';
import { sql } from '@cardgate/db';
import { chart } from '@cardgate/domain';
import { createLedger } from '@cardgate/ledger';
import { createOperations } from '@cardgate/operations';
import { createOperatorAudit } from '@cardgate/operators';
import { useTestDatabase } from '@cardgate/test-harness';
import { fundWallet, walletAvailable } from '../services/worker/src/testing.ts';
import { useTimeSkipping } from '../services/worker/src/time-skipping.testing.ts';

const database = useTestDatabase();
const timeSkipping = useTimeSkipping('ops-needs-operator');
const apiKey = 'ops-needs-operator-key';
let sandbox: Awaited<ReturnType<typeof startCardSandbox>>;

beforeAll(async () => {
  sandbox = await startCardSandbox({
    port: 0,
    apiKey,
    webhookSecret: 'whsec_b3BzLW5lZWRzLW9wZXJhdG9yLTEyMzQ1Ng==',
  });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('flows in needs_operator', () => {
  it('moves them on: a load resolved as loaded, an issue retried', async () => {
    const ledger = createLedger({ pool: database.pool });
    const provider = createHttpCardProvider({
      baseUrl: sandbox.url,
      apiKey,
      attemptsMax: 1,
      timeoutMs: 2_000,
    });
    const userId = `opsno-${randomUUID().slice(0, 8)}`;
    await fundWallet(ledger, userId, '30');
    const providerCard = await provider.createCard({ idempotencyKey: `crd_ops${randomUUID().slice(0, 8)}` });
    const cardId = `crd_ops${randomUUID().slice(0, 8)}`;
    const [cardAccount] = await ledger.createAccounts([chart.card(cardId, userId)]);
    await database.pool.query(sql.type(z.object({}))`
      insert into card (id, user_id, provider_token, state, ledger_account_id)
      values (${cardId}, ${userId}, ${providerCard.token}, 'OPEN', ${cardAccount!.id})`);
    const { worker, taskQueue } = await timeSkipping.createWorker({
      pool: database.pool,
      ledger,
      provider,
      label: 'ops-needs-operator',
    });
    const environment = timeSkipping.environment;
    const operations = createOperations({
      pool: database.pool,
      temporal: { client: environment.client, taskQueue },
      settleWaitMs: 5_000,
    });
    const call = { actor: 'cli:tester' };

    const loadId = `opsno-${randomUUID().slice(0, 8)}`;
    await worker.runUntil(async () => {
      sandbox.sandbox.faults.set({ failNext: 100_000, failStatus: 503 });
      const newCardId = `crd_opsnew${randomUUID().slice(0, 8)}`;
      const load = await environment.client.workflow.start<CardLoadWorkflow>(cardLoadWorkflowType, {
        taskQueue,
        workflowId: cardLoadWorkflowId(loadId),
        args: [{ loadId, userId, cardId, amountUsdtMinor: '10000000' }],
      });
      const issue = await environment.client.workflow.start<CardIssueWorkflow>(cardIssueWorkflowType, {
        taskQueue,
        workflowId: cardIssueWorkflowId(newCardId),
        args: [{ cardId: newCardId, userId, autoLoad: false }],
      });
      await environment.sleep('3 hours');

      // (The listing itself needs Temporal's visibility, which the time-skipping server does not implement: it is proved
      // on the dev server in ops-actions.test.ts; its per-flow state read is the query checked here.)
      expect((await load.query<{ status: string }>('cardLoadState')).status).toBe('needs_operator');
      expect((await issue.query<{ status: string }>('cardIssueState')).status).toBe('needs_operator');
      // Held, not guessed: 10 USDT for the load and 2 USDT for the card fee.
      expect(await walletAvailable(ledger, userId)).toBe(18_000_000n);

      await sandbox.sandbox.faults.clear();
      // Both answers go in before either result is awaited (awaiting a result lets the test server skip time).
      const resolved = await operations.resolveCardLoad(call, loadId, {
        outcome: 'loaded',
        providerLoadToken: 'load_by_operator',
      });
      expect(resolved.status).not.toBe('needs_operator');
      const retried = await operations.retryCardIssue(call, newCardId);
      expect(retried.status).not.toBe('needs_operator');
      expect(await load.result()).toMatchObject({ status: 'loaded', providerLoadToken: 'load_by_operator' });
      expect(await issue.result()).toMatchObject({ status: 'issued', cardId: newCardId });
      expect(await walletAvailable(ledger, userId)).toBe(18_000_000n); // both posted now

      await expect(operations.resolveCardLoad(call, loadId, { outcome: 'not_loaded' })).rejects.toMatchObject(
        {
          reason: 'flow_not_waiting',
        },
      );
    });
    const audit = createOperatorAudit(database.pool);
    const loadAudit = (await audit.recent({ target: `card_load:${loadId}`, limit: 5 })).map((entry) => [
      entry.actor,
      entry.result,
    ]);
    expect(loadAudit).toEqual([
      ['cli:tester', 'refused'],
      ['cli:tester', 'ok'],
    ]);
    expect((await ledger.verify()).ok).toBe(true);
  }, 180_000);
});
