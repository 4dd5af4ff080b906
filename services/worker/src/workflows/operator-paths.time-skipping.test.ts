// Proves the ways out when the provider never gives a definite answer, on Temporal's time-skipping test server: every
// call fails ambiguously (5xx). A card load keeps the USDT on hold through its bounded rounds (growing pauses, skipped
// here), stops in `needs_operator`, and moves only on the operator's word: `not_loaded` voids the hold, `loaded`
// posts it. A card issue keeps its fee held, stops in `needs_operator`, and an operator's retry finishes it; the
// worker's outcome sink (the metrics) hears `needs_operator` once and then `completed` once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { createHttpCardProvider } from '@cardgate/card-provider';
import { startCardSandbox } from '@cardgate/card-sandbox';
import { createLedger } from '@cardgate/ledger';
import { useTestDatabase } from '@cardgate/test-harness';
import {
  cardIssueWorkflowId,
  cardLoadWorkflowId,
  resolveCardLoadSignal,
  retryCardIssueSignal,
} from '@cardgate/contracts';
import { chart } from '@cardgate/domain';
import { fundWallet, walletAvailable } from '../testing.ts';
import { useTimeSkipping } from '../time-skipping.testing.ts';
import { cardLoadWorkflow } from './card-load.workflow.ts';
import { cardIssueWorkflow } from './card-issue.workflow.ts';

const database = useTestDatabase();
const timeSkipping = useTimeSkipping('operator');
const apiKey = 'operator-test-key';
let sandbox: Awaited<ReturnType<typeof startCardSandbox>>;

beforeAll(async () => {
  sandbox = await startCardSandbox({
    port: 0,
    apiKey,
    webhookSecret: 'whsec_b3BlcmF0b3ItdGVzdC1zZWNyZXQtMTIzNDU2',
  });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('a card load the provider never answers', () => {
  it('holds the USDT, stops for an operator, and voids or posts only on the operator’s word', async () => {
    const ledger = createLedger({ pool: database.pool });
    const provider = createHttpCardProvider({
      baseUrl: sandbox.url,
      apiKey,
      attemptsMax: 1,
      timeoutMs: 2_000,
    });
    const userId = `op-${randomUUID().slice(0, 8)}`;
    await fundWallet(ledger, userId, '30');
    const card = await provider.createCard({ idempotencyKey: `crd_op${randomUUID().slice(0, 8)}` });
    const cardId = `crd_op${randomUUID().slice(0, 8)}`;
    const [cardAccount] = await ledger.createAccounts([chart.card(cardId, userId)]);
    await database.pool.query(sql.type(z.object({}))`
      insert into card (id, user_id, provider_token, state, ledger_account_id)
      values (${cardId}, ${userId}, ${card.token}, 'OPEN', ${cardAccount!.id})`);

    const { worker, taskQueue } = await timeSkipping.createWorker({
      pool: database.pool,
      ledger,
      provider,
      label: 'operator',
    });
    const environment = timeSkipping.environment;
    await worker.runUntil(async () => {
      sandbox.sandbox.faults.set({ failNext: 100_000, failStatus: 503 });
      const start = (loadId: string) =>
        environment.client.workflow.start(cardLoadWorkflow, {
          taskQueue,
          workflowId: cardLoadWorkflowId(loadId),
          args: [{ loadId, userId, cardId, amountUsdtMinor: '10000000' }],
        });
      const state = async (handle: Awaited<ReturnType<typeof start>>) =>
        (await handle.query<{ status: string }>('cardLoadState')).status;

      const unanswered = await start(`op-void-${randomUUID().slice(0, 8)}`);
      const answeredLater = await start(`op-post-${randomUUID().slice(0, 8)}`);
      // About 80 minutes of the workflows' time: 20 rounds of load, ask by key and a pause growing to 5 minutes.
      await environment.sleep('3 hours');
      expect(await state(unanswered)).toBe('needs_operator');
      expect(await state(answeredLater)).toBe('needs_operator');
      // Both holds are still in place: nothing was guessed.
      expect(await walletAvailable(ledger, userId)).toBe(10_000_000n);

      await sandbox.sandbox.faults.clear();
      // Both answers go in before either result is awaited: awaiting a result lets the test server skip time, and a
      // workflow waiting for nothing else would be skipped to its execution timeout.
      await unanswered.signal(resolveCardLoadSignal, { outcome: 'not_loaded' });
      await answeredLater.signal(resolveCardLoadSignal, {
        outcome: 'loaded',
        providerLoadToken: 'load_by_operator',
      });
      expect(await unanswered.result()).toMatchObject({ status: 'failed' });
      expect(await answeredLater.result()).toMatchObject({
        status: 'loaded',
        providerLoadToken: 'load_by_operator',
      });
      // One load voided (10 USDT back), one posted (10 USDT spent).
      expect(await walletAvailable(ledger, userId)).toBe(20_000_000n);
      const cardBalance = (await ledger.accountByCode(chart.card(cardId, userId).code))!;
      expect(cardBalance.creditsPosted).toBeGreaterThan(0n);
    });
    expect(sandbox.sandbox.summary.loads).toBe(0); // the provider never loaded anything
    expect((await ledger.verify()).ok).toBe(true);
  }, 180_000);

  it('card issue: a provider that stays silent is never taken as a refusal; the fee stays held until it answers', async () => {
    const ledger = createLedger({ pool: database.pool });
    const provider = createHttpCardProvider({
      baseUrl: sandbox.url,
      apiKey,
      attemptsMax: 1,
      timeoutMs: 2_000,
    });
    const userId = `op-issue-${randomUUID().slice(0, 8)}`;
    await fundWallet(ledger, userId, '5');
    const outcomes: string[] = [];
    const { worker, taskQueue } = await timeSkipping.createWorker({
      pool: database.pool,
      ledger,
      provider,
      label: 'operator-issue',
      recordOutcome: (workflowType, outcome) => outcomes.push(`${workflowType} ${outcome}`),
    });
    const environment = timeSkipping.environment;
    await worker.runUntil(async () => {
      sandbox.sandbox.faults.set({ failNext: 100_000, failStatus: 503 });
      const cardId = `crd_silent${randomUUID().slice(0, 8)}`;
      const handle = await environment.client.workflow.start(cardIssueWorkflow, {
        taskQueue,
        workflowId: cardIssueWorkflowId(cardId),
        args: [{ cardId, userId, autoLoad: false }],
      });
      await environment.sleep('3 hours');
      expect((await handle.query<{ status: string }>('cardIssueState')).status).toBe('needs_operator');
      expect(outcomes).toEqual(['cardIssueWorkflow needs_operator']);
      expect(await walletAvailable(ledger, userId)).toBe(3_000_000n); // the 2 USDT fee is held, neither posted nor voided
      await sandbox.sandbox.faults.clear();
      await handle.signal(retryCardIssueSignal);
      expect(await handle.result()).toMatchObject({ status: 'issued', cardId });
      expect(await walletAvailable(ledger, userId)).toBe(3_000_000n); // now posted
      const fees = (await ledger.accountByCode(chart.cardIssueFees.code))!;
      expect(fees.creditsPosted).toBe(2_000_000n);
    });
    expect(outcomes).toEqual(['cardIssueWorkflow needs_operator', 'cardIssueWorkflow completed']);
  }, 180_000);
});
