// Proves the card flows end to end on real parts (PostgreSQL, Redis, Temporal, the card sandbox over HTTP, the
// API's webhook route): a card is issued against a fee, loaded at a quoted rate, spent through the sandbox's
// simulate endpoints, and after every step the ledger's card account equals the sandbox's card balance. Faults:
// a lost load response, provider 5xx, a definite refusal (voided), a compensation that fails (stops visibly until an
// operator retries), duplicate and out-of-order webhooks, forged and stale webhooks, a clearing after expiry.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { signWebhook } from '@cardgate/card-provider';
import { recordHistoryIfAsked, useTestDatabase, uniqueSuffix } from '@cardgate/test-harness';
import {
  cardIssueWorkflowId,
  cardIssueWorkflowType,
  cardLoadWorkflowId,
  cardLoadWorkflowType,
  cardTransactionWorkflowId,
  retryCompensationSignal,
  type CardIssueWorkflow,
  type CardLoadWorkflow,
} from '@cardgate/contracts';
import { ApplicationFailure } from '@temporalio/common';
import { withCardStack, webhookSecret, type CardStack } from './card-stack.ts';

const database = useTestDatabase({ maxPoolSize: 20 });
const count = z.object({ count: z.bigint() });

async function simulate(stack: CardStack, path: string, body: Record<string, unknown>) {
  const response = await fetch(`${stack.sandbox.url}/v1/simulate/${path}`, {
    method: 'POST',
    headers: { authorization: 'test-sandbox-key', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; result: string };
}

async function loadCard(stack: CardStack, input: { userId: string; cardId: string; usdt: string }) {
  const loadId = `test-${uniqueSuffix()}`;
  const [whole, fraction = ''] = input.usdt.split('.');
  const amountUsdtMinor = (BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, '0'))).toString();
  const handle = await stack.client.workflow.start<CardLoadWorkflow>(cardLoadWorkflowType, {
    taskQueue: stack.taskQueue,
    workflowId: cardLoadWorkflowId(loadId),
    args: [{ loadId, userId: input.userId, cardId: input.cardId, amountUsdtMinor }],
  });
  return { loadId, handle };
}

/** Waits until the ledger's card account equals the sandbox's card balance, and returns it. */
async function expectCardsEqual(
  stack: CardStack,
  card: { cardId: string; providerToken: string },
  userId: string,
) {
  await stack.webhooksSettled();
  const sandboxView = await stack.sandboxCard(card.providerToken);
  await expect
    .poll(() => stack.ledgerCard(card.cardId, userId), { timeout: 15_000, interval: 100 })
    .toEqual(sandboxView);
  return sandboxView;
}

describe('card flows on the real stack', () => {
  it('issues, loads and spends a card; the ledger card account equals the sandbox card after every step; a decline and a refund are told to the user', async () => {
    await withCardStack({ pool: database.pool, label: 'cards' }, async (stack) => {
      const userId = `u-${uniqueSuffix()}`;
      await stack.fundWallet(userId, '100');
      const card = await stack.issueCard(userId);
      expect(await stack.walletAvailable(userId)).toBe(98_000_000n); // 2 USDT issuance fee posted

      const { handle } = await loadCard(stack, { userId, cardId: card.cardId, usdt: '50' });
      // 50 USDT × 0.9995 = 49.975 → 49.97 USD; 1.5% spread = 0.749550 → 0.75; the card gets 49.22.
      expect(await handle.result()).toMatchObject({ status: 'loaded', usdMinor: '4922' });
      expect(await stack.walletAvailable(userId)).toBe(48_000_000n);
      expect(await expectCardsEqual(stack, card, userId)).toEqual({
        settled: 4_922n,
        pending: 0n,
        available: 4_922n,
      });

      const hotel = await simulate(stack, 'authorize', {
        card_token: card.providerToken,
        amount: '1000',
        descriptor: 'HOTEL',
        mcc: '7011',
      });
      expect(hotel.result).toBe('APPROVED');
      expect(await expectCardsEqual(stack, card, userId)).toMatchObject({ pending: 1_000n });
      await simulate(stack, 'clearing', { token: hotel.token, amount: '800' });
      await simulate(stack, 'clearing', { token: hotel.token, amount: '300' }); // a second, larger than what is left
      expect(await expectCardsEqual(stack, card, userId)).toEqual({
        settled: 3_822n,
        pending: 0n,
        available: 3_822n,
      });

      const declined = await simulate(stack, 'authorize', {
        card_token: card.providerToken,
        amount: '999999',
        descriptor: 'TV',
      });
      expect(declined.result).toBe('INSUFFICIENT_FUNDS');
      const refund = await simulate(stack, 'return', {
        card_token: card.providerToken,
        amount: '250',
        descriptor: 'SHOP',
      });
      await simulate(stack, 'return_reversal', { token: refund.token });
      await simulate(stack, 'financial_authorization', {
        card_token: card.providerToken,
        amount: '100',
        descriptor: 'ATM',
      });
      await simulate(stack, 'force_post', {
        card_token: card.providerToken,
        amount: '5000',
        descriptor: 'LATE',
      });
      // 3822 + 250 − 250 − 100 − 5000: a force post takes the card below zero on both sides alike.
      expect(await expectCardsEqual(stack, card, userId)).toEqual({
        settled: -1_278n,
        pending: 0n,
        available: -1_278n,
      });
      expect((await stack.ledger.verify()).ok).toBe(true);
      // The user is told of the declined payment and of the refund (once each), queued by applyCardTransaction.
      const told = async () =>
        (await stack.notifications.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']))
          .map((job) => job.data as { userId: string; kind: string; data: Record<string, string> })
          .filter(
            (notification) =>
              notification.userId === userId && ['card_declined', 'card_refund'].includes(notification.kind),
          )
          .map((notification) => ({ kind: notification.kind, data: notification.data }))
          .sort((a, b) => a.kind.localeCompare(b.kind));
      await expect.poll(told, { timeout: 10_000 }).toEqual([
        {
          kind: 'card_declined',
          data: {
            cardId: card.cardId,
            amountMinor: '999999',
            currency: 'USD',
            merchant: 'TV',
            reason: 'INSUFFICIENT_FUNDS',
          },
        },
        {
          kind: 'card_refund',
          data: { cardId: card.cardId, amountMinor: '250', currency: 'USD', merchant: 'SHOP' },
        },
      ]);
      await recordHistoryIfAsked(cardIssueWorkflowId(card.cardId), 'card-issue-issued');
      await recordHistoryIfAsked(handle.workflowId, 'card-load-loaded');
      await recordHistoryIfAsked(cardTransactionWorkflowId(hotel.token), 'card-transaction-two-clearings');
    });
  });

  it('books pending credits, their settlement, corrections and balance inquiries like the sandbox', async () => {
    await withCardStack({ pool: database.pool, label: 'cards-credits' }, async (stack) => {
      const userId = `u-${uniqueSuffix()}`;
      await stack.fundWallet(userId, '20');
      const card = await stack.issueCard(userId);
      await (await loadCard(stack, { userId, cardId: card.cardId, usdt: '10' })).handle.result();
      const creditsPending = async () =>
        (await stack.ledger.accountByCode(`card:${card.cardId}:USD`))!.creditsPending;

      const refund = await simulate(stack, 'credit_authorization_advice', {
        card_token: card.providerToken,
        amount: '700',
        descriptor: 'REFUND',
      });
      // Announced, not spendable: outside the balances on both sides, a pending credit in the ledger.
      expect(await expectCardsEqual(stack, card, userId)).toEqual({
        settled: 984n,
        pending: 0n,
        available: 984n,
      });
      await expect.poll(creditsPending, { timeout: 10_000 }).toBe(700n);
      await simulate(stack, 'financial_credit_authorization', { token: refund.token, amount: '700' });
      expect(await expectCardsEqual(stack, card, userId)).toEqual({
        settled: 1_684n,
        pending: 0n,
        available: 1_684n,
      });
      await expect.poll(creditsPending, { timeout: 10_000 }).toBe(0n);

      await simulate(stack, 'correction', { card_token: card.providerToken, amount: '50', type: 'CREDIT' });
      await simulate(stack, 'correction', { card_token: card.providerToken, amount: '30', type: 'DEBIT' });
      await simulate(stack, 'balance_inquiry', { card_token: card.providerToken });
      expect(await expectCardsEqual(stack, card, userId)).toEqual({
        settled: 1_704n,
        pending: 0n,
        available: 1_704n,
      });
      expect((await stack.ledger.verify()).ok).toBe(true);
      await recordHistoryIfAsked(
        cardTransactionWorkflowId(refund.token),
        'card-transaction-pending-credit-settled',
      );
    });
  });

  it('keeps the ledger unchanged by repeated and out-of-order webhooks', async () => {
    await withCardStack({ pool: database.pool, label: 'cards-order' }, async (stack) => {
      const userId = `u-${uniqueSuffix()}`;
      await stack.fundWallet(userId, '40');
      const card = await stack.issueCard(userId);
      expect(
        await (await loadCard(stack, { userId, cardId: card.cardId, usdt: '30' })).handle.result(),
      ).toMatchObject({
        status: 'loaded',
      });
      stack.sandbox.sandbox.faults.set({ duplicateWebhooks: true, holdWebhooks: true });
      const auth = await simulate(stack, 'authorize', {
        card_token: card.providerToken,
        amount: '500',
        descriptor: 'CAFE',
      });
      await simulate(stack, 'authorization_advice', { token: auth.token, amount: '700' });
      await simulate(stack, 'void', { token: auth.token, amount: '100', type: 'AUTHORIZATION_REVERSAL' });
      await simulate(stack, 'clearing', { token: auth.token, amount: '450' });
      await stack.sandbox.sandbox.webhooks.release('reverse');
      await stack.sandbox.sandbox.faults.clear();
      const balance = await expectCardsEqual(stack, card, userId);
      expect(balance.pending).toBe(150n); // 700 − 100 reversed − 450 cleared
      const events = await database.pool.oneFirst(sql.type(count)`
        select count(*) as count from card_event where provider_transaction_id = ${auth.token}`);
      expect(events).toBe(4n); // each stored once, though delivered twice
      // The duplicates' hand-overs (signals) keep arriving after the first balance matched: nothing more moves.
      const before = await stack.ledgerCard(card.cardId, userId);
      await stack.webhooksSettled();
      expect(await stack.ledgerCard(card.cardId, userId)).toEqual(before);
    });
  });

  it('refuses forged, stale and malformed webhooks with a precise status and stores nothing', async () => {
    await withCardStack({ pool: database.pool, label: 'cards-forged' }, async (stack) => {
      const body = JSON.stringify({
        event_id: 'evt_forged_1',
        event_type: 'card_transaction.updated',
        created: new Date().toISOString(),
        payload: {
          transaction_token: 'txn_forged',
          card_token: 'card_x',
          kind: 'RETURN',
          result: 'APPROVED',
          sequence: 1,
          amount: '100000',
          currency: 'USD',
        },
      });
      const now = Math.floor(Date.now() / 1000);
      const send = (headers: Record<string, string>, payload = body) =>
        fetch(`${stack.apiUrl}/webhooks/card-provider`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: payload,
        });
      const forged = await send({
        'webhook-id': 'evt_forged_1',
        'webhook-timestamp': String(now),
        'webhook-signature': signWebhook(
          'whsec_c29tZW9uZS1lbHNlcy1zZWNyZXQtMTIzNA==',
          'evt_forged_1',
          now,
          body,
        ),
      });
      expect(forged.status).toBe(401);
      const stale = await send({
        'webhook-id': 'evt_forged_1',
        'webhook-timestamp': String(now - 600),
        'webhook-signature': signWebhook(webhookSecret, 'evt_forged_1', now - 600, body),
      });
      expect(stale.status).toBe(400);
      const numberAmount = body.replace('"amount":"100000"', '"amount":100000');
      const malformed = await send(
        {
          'webhook-id': 'evt_forged_1',
          'webhook-timestamp': String(now),
          'webhook-signature': signWebhook(webhookSecret, 'evt_forged_1', now, numberAmount),
        },
        numberAmount,
      );
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { reason: string }).reason).toBe('malformed_webhook');
      const oversized = await send(
        { 'webhook-id': 'x', 'webhook-timestamp': String(now), 'webhook-signature': 'v1,x' },
        'x'.repeat(70_000),
      );
      expect(oversized.status).toBe(413);
      const stored = await database.pool.oneFirst(sql.type(count)`
        select count(*) as count from card_event where event_id = 'evt_forged_1'`);
      expect(stored).toBe(0n);
    });
  });

  it('loads exactly once when the load response is lost or the provider fails with 5xx for a while', async () => {
    await withCardStack({ pool: database.pool, label: 'cards-faults' }, async (stack) => {
      const userId = `u-${uniqueSuffix()}`;
      await stack.fundWallet(userId, '100');
      const card = await stack.issueCard(userId);
      stack.sandbox.sandbox.faults.set({ loseLoadResponseNext: 2 });
      const lost = await loadCard(stack, { userId, cardId: card.cardId, usdt: '10' });
      expect(await lost.handle.result()).toMatchObject({ status: 'loaded', usdMinor: '984' });
      stack.sandbox.sandbox.faults.set({ failNext: 7 });
      const flaky = await loadCard(stack, { userId, cardId: card.cardId, usdt: '10' });
      expect(await flaky.handle.result()).toMatchObject({ status: 'loaded', usdMinor: '984' });
      await stack.sandbox.sandbox.faults.clear();
      // Two loads of 9.84 USD, never three or four.
      expect(await expectCardsEqual(stack, card, userId)).toEqual({
        settled: 1_968n,
        pending: 0n,
        available: 1_968n,
      });
      expect(await stack.walletAvailable(userId)).toBe(78_000_000n);
      await recordHistoryIfAsked(lost.handle.workflowId, 'card-load-response-lost');
      await recordHistoryIfAsked(flaky.handle.workflowId, 'card-load-provider-5xx');
    });
  });

  it('voids the hold on a definite refusal, and stops visibly when the void itself fails until an operator retries', async () => {
    let voidFailures = 1;
    await withCardStack(
      {
        pool: database.pool,
        label: 'cards-void',
        overrideActivities: (activities) => ({
          async voidCardLoad(input) {
            if (voidFailures > 0) {
              voidFailures -= 1;
              throw ApplicationFailure.create({
                type: 'InjectedFault',
                message: 'void failed',
                nonRetryable: true,
              });
            }
            return activities.voidCardLoad(input);
          },
        }),
      },
      async (stack) => {
        const userId = `u-${uniqueSuffix()}`;
        await stack.fundWallet(userId, '20');
        const card = await stack.issueCard(userId);
        await stack.provider.closeCard(card.providerToken);
        const { handle, loadId } = await loadCard(stack, { userId, cardId: card.cardId, usdt: '10' });
        await expect
          .poll(async () => (await handle.query<{ status: string }>('cardLoadState')).status, {
            timeout: 15_000,
          })
          .toBe('compensation_failed');
        // The USDT is still held while the workflow waits: nothing was lost or released silently.
        expect(await stack.walletAvailable(userId)).toBe(8_000_000n);
        await handle.signal(retryCompensationSignal);
        expect(await handle.result()).toMatchObject({ status: 'failed' });
        await recordHistoryIfAsked(handle.workflowId, 'card-load-refused-compensation-retried');
        expect(await stack.walletAvailable(userId)).toBe(18_000_000n);
        const status = await database.pool.oneFirst(sql.type(z.object({ status: z.string() }))`
          select status from card_load where id = ${loadId}`);
        expect(status).toBe('failed');
        expect(await stack.ledgerCard(card.cardId, userId)).toEqual({
          settled: 0n,
          pending: 0n,
          available: 0n,
        });
      },
    );
  });

  it('card issue: voids the fee when the provider refuses, and refuses without a provider call when the wallet cannot pay', async () => {
    await withCardStack({ pool: database.pool, label: 'cards-issue' }, async (stack) => {
      const issue = (cardId: string, userId: string) =>
        stack.client.workflow.execute<CardIssueWorkflow>(cardIssueWorkflowType, {
          taskQueue: stack.taskQueue,
          workflowId: cardIssueWorkflowId(cardId),
          args: [{ cardId, userId, autoLoad: true }],
        });
      const userId = `u-${uniqueSuffix()}`;
      await stack.fundWallet(userId, '5');
      stack.sandbox.sandbox.faults.set({ failNext: 1, failStatus: 422 });
      const refusedId = `crd_refused${uniqueSuffix()}`;
      expect(await issue(refusedId, userId)).toMatchObject({ status: 'failed', cardId: refusedId });
      expect(await stack.walletAvailable(userId)).toBe(5_000_000n); // the 2 USDT fee hold was voided
      const cardsAtProvider = stack.sandbox.sandbox.summary.cards;

      const poorUser = `u-${uniqueSuffix()}`;
      await stack.fundWallet(poorUser, '1');
      const poorId = `crd_poor${uniqueSuffix()}`;
      expect(await issue(poorId, poorUser)).toMatchObject({ status: 'rejected' });
      expect(stack.sandbox.sandbox.summary.cards).toBe(cardsAtProvider); // no card was created for it
      const states = await database.pool.any(sql.type(z.object({ id: z.string(), state: z.string() }))`
        select id, state from card where id in (${refusedId}, ${poorId}) order by id`);
      expect(states).toEqual(
        [
          { id: refusedId, state: 'failed' },
          { id: poorId, state: 'failed' },
        ].sort((a, b) => a.id.localeCompare(b.id)),
      );
    });
  });

  it('releases a hold at expiry with a timer, and still posts a clearing that arrives after it', async () => {
    await withCardStack(
      { pool: database.pool, label: 'cards-expiry', holdLifetimeOverrideMs: 1_500 },
      async (stack) => {
        const userId = `u-${uniqueSuffix()}`;
        await stack.fundWallet(userId, '20');
        const card = await stack.issueCard(userId);
        await (await loadCard(stack, { userId, cardId: card.cardId, usdt: '10' })).handle.result();
        const auth = await simulate(stack, 'authorize', {
          card_token: card.providerToken,
          amount: '400',
          descriptor: 'CAR',
          mcc: '3400',
        });
        expect(await expectCardsEqual(stack, card, userId)).toMatchObject({ pending: 400n });
        // The workflow's timer fires first: the ledger releases the hold while the provider still shows it.
        await expect
          .poll(async () => (await stack.ledgerCard(card.cardId, userId)).pending, { timeout: 10_000 })
          .toBe(0n);
        await simulate(stack, 'void', { token: auth.token, type: 'AUTHORIZATION_EXPIRY' });
        expect(await expectCardsEqual(stack, card, userId)).toMatchObject({ pending: 0n, settled: 984n });
        await simulate(stack, 'clearing', { token: auth.token, amount: '400' });
        expect(await expectCardsEqual(stack, card, userId)).toEqual({
          settled: 584n,
          pending: 0n,
          available: 584n,
        });
        await recordHistoryIfAsked(
          cardTransactionWorkflowId(auth.token),
          'card-transaction-expired-then-cleared',
        );
      },
    );
  });
});
