// Proves the operators' actions on the real flows (PostgreSQL, Redis, Temporal with a real worker, the card sandbox):
// - a deposit below the review minimum, held by the real deposit workflow, is listed by GET /v1/ops/deposits/held,
//   approved through POST /v1/ops/deposits/{tx}:{log}/approve, and the user's wallet is credited (minus the fee);
//   a second approval is a 409 that moves nothing; every step is in the audit under the token's id;
// - another held deposit is rejected through the ops command line (`deposit:reject --yes`): the flow ends rejected and
//   the pending credit is gone, never spendable;
// - a card load whose void fails stops in compensation_failed; GET /v1/ops/flows/waiting and `flows:waiting` list it
//   with retryCompensation as the way on; POST /v1/ops/flows/{id}/retry-compensation moves it, the load ends failed
//   and the user's USDT is back.
// (Flows in needs_operator, reached after about 80 minutes of a flow's time, are moved on in
// ops-needs-operator.time-skipping.test.ts.)
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApplicationFailure } from '@temporalio/common';
import { sql } from '@cardgate/db';
import { createDepositAddressService } from '@cardgate/deposit-addresses';
import {
  cardLoadWorkflowId,
  cardLoadWorkflowType,
  depositEventSignalName,
  depositWorkflowId,
  depositWorkflowType,
  type CardLoadWorkflow,
  type DepositEvent,
} from '@cardgate/contracts';
import { chart } from '@cardgate/domain';
import { createLedgerReads } from '@cardgate/ledger';
import { createOperations } from '@cardgate/operations';
import { createOperatorAudit, createOperatorTokens } from '@cardgate/operators';
import { testLogger, uniqueSuffix } from '@cardgate/test-harness';
import type { Client } from '@temporalio/client';
import { createApp } from '../services/api/src/app.ts';
import { bodyOf, testProductSettings, tmaHeader, useTestApi } from '../services/api/src/testing.ts';
import type { CommandContext } from '../services/ops/src/commands.ts';
import { commands } from '../services/ops/src/commands.ts';
import { withTestWorker } from '../services/worker/src/testing.ts';
import { withCardStack } from './card-stack.ts';

const api = useTestApi();
const noRows = z.object({});

/** The API on the worker's task queue (the test API's own queue has no worker). */
function appOn(temporal: { client: Client; taskQueue: string }) {
  return createApp({ logger: testLogger('api'), healthChecks: {}, v1: { ...api.dependencies, temporal } });
}

function cliContext(temporal: { client: Client; taskQueue: string }, output: string[]): CommandContext {
  const operations = createOperations({ pool: api.database.pool, temporal, settleWaitMs: 5_000 });
  return {
    pool: api.database.pool,
    logger: testLogger('ops'),
    actor: 'cli:tester',
    write: (text) => void output.push(text),
    confirm: () => Promise.reject(new Error('--yes was given: no question expected')),
    operations: () => operations,
  };
}

async function operatorToken() {
  const { token, info } = await createOperatorTokens(api.database.pool).create({
    name: 'ops-actions',
    scopes: ['operate'],
    lifetimeMs: 3_600_000,
  });
  return { authorization: `Bearer ${token}`, tokenId: info.tokenId };
}

async function walletOf(userId: string) {
  const account = await createLedgerReads(api.database.pool).accountByCode(chart.wallet(userId).code);
  return {
    credits_posted: account?.creditsPosted ?? 0n,
    debits_posted: account?.debitsPosted ?? 0n,
    credits_pending: account?.creditsPending ?? 0n,
  };
}

describe('held deposits, decided by an operator', () => {
  it('approves through the API (wallet credited) and rejects through the command line (never spendable)', async () => {
    const me = await bodyOf(
      await api.app.request('/v1/me', { headers: { authorization: tmaHeader({ id: 88_001 }) } }),
    );
    const userId: string = me.user.id;
    const address = await createDepositAddressService({
      pool: api.database.pool,
      xpub: testProductSettings.deposits.addressXpub,
      account: testProductSettings.deposits.addressAccount,
    }).assign(userId);

    await withTestWorker(
      { pool: api.database.pool, label: 'ops-deposits' },
      async ({ client, taskQueue }) => {
        const app = appOn({ client, taskQueue });
        const operator = await operatorToken();
        const holdDeposit = async (amountMinor: string) => {
          const txId = (uniqueSuffix() + '0'.repeat(64)).replace(/[^0-9a-f]/g, 'a').slice(0, 64);
          const event: DepositEvent = {
            event: 'final',
            sequence: 1,
            txId,
            logIndex: 0,
            chain: 'tron',
            tokenContract: testProductSettings.deposits.tokenContract,
            asset: 'USDT',
            from: 'TSender',
            to: address.base58,
            amountMinor,
            blockNumber: '100',
            blockHash: 'ab'.repeat(32),
            blockTimestampMs: '1790000000000',
          };
          // The watcher's record of the deposit (the workflow's receipt refers to it).
          await api.database.pool.query(sql.type(noRows)`
          insert into deposit (tx_id, log_index, chain, token_contract, asset, from_address, to_address, amount_minor,
            block_number, block_hash, block_timestamp_ms, status, event_sequence)
          values (${txId}, 0, 'tron', ${event.tokenContract}, 'USDT', 'TSender', ${address.base58}, ${amountMinor},
            100, ${event.blockHash}, 1790000000000, 'seen', 1)`);
          const handle = await client.workflow.signalWithStart(depositWorkflowType, {
            taskQueue,
            workflowId: depositWorkflowId(txId, 0),
            args: [{ txId, logIndex: 0 }],
            signal: depositEventSignalName,
            signalArgs: [event],
          });
          await expect
            .poll(() => handle.query<string>('depositState'), { timeout: 15_000 })
            .toBe('held_for_review');
          return { txId, handle };
        };

        const approved = await holdDeposit('1000000');
        const rejected = await holdDeposit('2000000');
        expect(await walletOf(userId)).toMatchObject({ credits_posted: 0n, credits_pending: 3_000_000n });

        const held = await bodyOf(
          await app.request('/v1/ops/deposits/held', { headers: { authorization: operator.authorization } }),
        );
        expect(held.items).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              deposit: `${approved.txId}:0`,
              userId,
              amount: { amount: '1.000000', asset: 'USDT' },
              workflowId: depositWorkflowId(approved.txId, 0),
            }),
            expect.objectContaining({
              deposit: `${rejected.txId}:0`,
              amount: { amount: '2.000000', asset: 'USDT' },
            }),
          ]),
        );

        const approve = (key: string) =>
          app.request(`/v1/ops/deposits/${approved.txId}:0/approve`, {
            method: 'POST',
            headers: { authorization: operator.authorization, 'idempotency-key': key },
          });
        const response = await approve('approve-1');
        expect(response.status).toBe(200);
        expect(await bodyOf(response)).toMatchObject({ decision: 'approve', state: 'credited' });
        expect(await approved.handle.result()).toMatchObject({
          credit: { status: 'credited', grossMinor: '1000000', feeMinor: '510000', netMinor: '490000' },
        });
        // 1 USDT less the fee (0.5 + 1%) is spendable; the other held deposit is still only pending.
        expect(await walletOf(userId)).toEqual({
          credits_posted: 1_000_000n,
          debits_posted: 510_000n,
          credits_pending: 2_000_000n,
        });
        const again = await approve('approve-2');
        expect(again.status).toBe(409);
        expect((await bodyOf(again)).reason).toBe('deposit_already_decided');
        expect(await walletOf(userId)).toMatchObject({ credits_posted: 1_000_000n, debits_posted: 510_000n });

        const output: string[] = [];
        const reject = commands['deposit:reject'];
        expect(
          await reject?.run([`${rejected.txId}:0`, '--yes'], cliContext({ client, taskQueue }, output)),
        ).toBe(0);
        expect(output.join('')).toBe(`rejected ${rejected.txId}:0; the deposit is now rejected\n`);
        expect(await rejected.handle.result()).toMatchObject({ credit: { netMinor: '0' } });
        expect(await walletOf(userId)).toEqual({
          credits_posted: 1_000_000n,
          debits_posted: 510_000n,
          credits_pending: 0n,
        });
        expect(
          (
            await bodyOf(
              await app.request('/v1/ops/deposits/held', {
                headers: { authorization: operator.authorization },
              }),
            )
          ).items,
        ).toEqual([]);

        const audit = createOperatorAudit(api.database.pool);
        expect(
          (await audit.recent({ target: `deposit:${approved.txId}:0`, limit: 10 })).map((entry) => [
            entry.actor,
            entry.action,
            entry.result,
          ]),
        ).toEqual([
          [operator.tokenId, 'deposit.approve', 'refused'],
          [operator.tokenId, 'deposit.approve', 'ok'],
        ]);
        expect((await audit.recent({ target: `deposit:${rejected.txId}:0`, limit: 10 }))[0]).toMatchObject({
          actor: 'cli:tester',
          action: 'deposit.reject',
          result: 'ok',
          detail: { state: 'rejected' },
        });
      },
    );
  });
});

describe('flows waiting for an operator', () => {
  it('lists a card load stopped in compensation_failed and moves it on with retryCompensation', async () => {
    let voidFailures = 1;
    await withCardStack(
      {
        pool: api.database.pool,
        label: 'ops-flows',
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
        const app = appOn({ client: stack.client, taskQueue: stack.taskQueue });
        const operator = await operatorToken();
        const userId = `ops-${uniqueSuffix()}`;
        await stack.fundWallet(userId, '20');
        const card = await stack.issueCard(userId);
        await stack.provider.closeCard(card.providerToken);
        const loadId = `ops-${uniqueSuffix()}`;
        const workflowId = cardLoadWorkflowId(loadId);
        const handle = await stack.client.workflow.start<CardLoadWorkflow>(cardLoadWorkflowType, {
          taskQueue: stack.taskQueue,
          workflowId,
          args: [{ loadId, userId, cardId: card.cardId, amountUsdtMinor: '10000000' }],
        });
        await expect
          .poll(async () => (await handle.query<{ status: string }>('cardLoadState')).status, {
            timeout: 15_000,
          })
          .toBe('compensation_failed');
        expect(await stack.walletAvailable(userId)).toBe(8_000_000n);

        // Visibility catches up with the start within moments; the listing is polled until it does.
        const listed = async (): Promise<unknown[]> => {
          const response = await app.request('/v1/ops/flows/waiting', {
            headers: { authorization: operator.authorization },
          });
          const body = (await response.json()) as { flows: unknown[] };
          return body.flows;
        };
        await expect.poll(listed, { timeout: 15_000 }).toEqual([
          expect.objectContaining({
            workflowId,
            workflowType: 'cardLoadWorkflow',
            status: 'compensation_failed',
            lastError: expect.stringContaining('void failed'),
            subjectId: loadId,
            action: 'retryCompensation',
          }),
        ]);
        const output: string[] = [];
        expect(await commands['flows:waiting']?.run([], cliContext(stack, output))).toBe(0);
        expect(output.join('')).toContain(`${workflowId}  compensation_failed  next: retryCompensation`);

        const post = (path: string, key: string, body?: unknown) =>
          app.request(path, {
            method: 'POST',
            headers: {
              authorization: operator.authorization,
              'idempotency-key': key,
              ...(body ? { 'content-type': 'application/json' } : {}),
            },
            ...(body ? { body: JSON.stringify(body) } : {}),
          });
        // Not waiting for a load resolution: a 409 that sends nothing.
        const wrongAction = await post(`/v1/ops/card-loads/${loadId}/resolve`, 'resolve-1', {
          outcome: 'not_loaded',
        });
        expect(wrongAction.status).toBe(409);
        expect(await bodyOf(wrongAction)).toMatchObject({
          reason: 'flow_not_waiting',
          details: { status: 'compensation_failed' },
        });

        const retried = await post(`/v1/ops/flows/${workflowId}/retry-compensation`, 'retry-1');
        expect(retried.status).toBe(200);
        expect((await bodyOf(retried)).status).not.toBe('compensation_failed');
        expect(await handle.result()).toMatchObject({ status: 'failed' });
        expect(await stack.walletAvailable(userId)).toBe(18_000_000n);
        expect(await listed()).toEqual([]);
        const [entry] = await createOperatorAudit(api.database.pool).recent({
          target: `workflow:${workflowId}`,
          limit: 5,
        });
        expect(entry).toMatchObject({ actor: operator.tokenId, action: 'compensation.retry', result: 'ok' });
      },
    );
  });
});
