// Proves the user API's reads against a deposit credited by the real flow: the user's address from
// GET /v1/deposit-address receives USDT on a chain the watcher's follower reads; GET /v1/deposits shows it seen, then
// confirming (confirmations from the watcher's cursor), and, once the outbox has handed it to the real deposit workflow
// on Temporal, credited with the fee the worker charged (0.5 + 1% of 25.5 = 0.755) and the net; GET /v1/transactions
// shows the deposit and its fee; GET /v1/balances shows the net in the wallet. A deposit below the minimum is held for
// review (a pending credit in the balances), and once an operator rejects it, it is rejected and leaves no line.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { depositReviewSignalName, depositWorkflowId, type DepositWorkflowResult } from '@cardgate/contracts';
import { createDepositStore } from '@cardgate/deposit-store';
import { uniqueSuffix } from '@cardgate/test-harness';
import { balancesSchema } from '../services/api/src/routes/balances/balances.routes.ts';
import { depositPageSchema } from '../services/api/src/routes/deposits/deposits.routes.ts';
import { statementPageSchema } from '../services/api/src/routes/transactions/transactions.routes.ts';
import { bodyOf, tmaHeader, useTestApi } from '../services/api/src/testing.ts';
import { AddressBook } from '../services/watcher/src/address-book.ts';
import { createDepositAddressSource } from '../services/watcher/src/address-book-store.ts';
import { createFollower } from '../services/watcher/src/follower.ts';
import { createOutboxDispatcher } from '../services/watcher/src/outbox-dispatcher.ts';
import { createTemporalHandOver } from '../services/watcher/src/temporal-hand-over.ts';
import { ScriptedChain } from '../services/watcher/src/testing/scripted-chain.ts';
import { withTestWorker } from '../services/worker/src/testing.ts';

const api = useTestApi();
const authorization = tmaHeader({ id: 4_001, languageCode: 'en' });

async function get(path: string): Promise<unknown> {
  const response = await api.app.request(path, { headers: { authorization } });
  expect(response.status, path).toBe(200);
  return bodyOf(response) as Promise<unknown>;
}
const deposits = async () => depositPageSchema.parse(await get('/v1/deposits')).items;
const statement = async () => statementPageSchema.parse(await get('/v1/transactions')).items;
const wallet = async () => balancesSchema.parse(await get('/v1/balances')).wallet;

const txId = () => (uniqueSuffix() + uniqueSuffix() + uniqueSuffix()).padEnd(64, '0').slice(0, 64);

describe('the user API over a deposit credited by the real flow', () => {
  // A real worker and several workflows on a shared 2-core machine: more than the default 30 s bound when it is busy.
  it(
    'shows the deposit seen, confirming, credited with its fee, on the statement and in the balances',
    { timeout: 120_000 },
    async () => {
      const { address } = z.object({ address: z.string() }).parse(await get('/v1/deposit-address'));
      await withTestWorker({ pool: api.database.pool, label: 'user-api' }, async ({ client, taskQueue }) => {
        const chain = new ScriptedChain(3);
        const follower = createFollower({
          source: chain,
          store: createDepositStore(api.database.pool, {
            chain: `tron-${uniqueSuffix()}`,
            contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
            asset: 'USDT',
          }),
          addressBook: new AddressBook(createDepositAddressSource(api.database.pool)),
          finality: { kind: 'solidified' },
          startBlockNumber: 1,
          batchBlocksMax: 100,
          reorgDepthMax: 16,
          keepBlocksBelowFinal: 16,
        });
        const outbox = createOutboxDispatcher({
          pool: api.database.pool,
          handOver: createTemporalHandOver(client, taskQueue),
          batchRowsMax: 100,
          concurrencyMax: 8,
        });
        const catchUp = async () => {
          for (let step = 0; step < 20; step += 1) if ((await follower.step()).caughtUp) break;
          await outbox.dispatchOnce();
        };
        const deposit = { txId: txId(), logIndex: 0, from: 'TSender', to: address, amountMinor: 25_500_000n };
        const small = { txId: txId(), logIndex: 0, from: 'TSender', to: address, amountMinor: 3_000_000n };

        chain.produceMany(2);
        chain.produce([deposit]);
        await catchUp();
        let [item] = await deposits();
        expect(item).toMatchObject({
          txId: deposit.txId,
          state: 'seen',
          confirmations: { done: 1, needed: 19 },
        });
        chain.produce([small]);
        await catchUp();
        [, item] = await deposits();
        expect(item).toMatchObject({
          txId: deposit.txId,
          state: 'confirming',
          confirmations: { done: 2, needed: 19 },
        });

        chain.produceMany(4); // both blocks are now solidified: final, handed over, credited or held
        await catchUp();
        const credited = (await client.workflow
          .getHandle(depositWorkflowId(deposit.txId, 0))
          .result()) as DepositWorkflowResult;
        expect(credited.credit).toMatchObject({
          status: 'credited',
          feeMinor: '755000',
          netMinor: '24745000',
        });
        const smallHandle = client.workflow.getHandle(depositWorkflowId(small.txId, 0));
        await expect
          .poll(() => smallHandle.query<string>('depositState'), { timeout: 15_000 })
          .toBe('held_for_review');

        const listed = await deposits();
        expect(listed.map((d) => [d.txId, d.state])).toEqual([
          [small.txId, 'held_for_review'],
          [deposit.txId, 'credited'],
        ]);
        expect(listed[1]).toMatchObject({
          amount: { amount: '25.500000', asset: 'USDT' },
          fee: { amount: '0.755000', asset: 'USDT' },
          net: { amount: '24.745000', asset: 'USDT' },
          confirmations: null,
        });
        expect(listed[1]!.creditedAt).toMatch(/^\d{4}-/);

        const lines = (await statement()).map((line) => [
          line.kind,
          line.status,
          line.amount.amount,
          line.reference.id,
        ]);
        // The two deposits become final close together, so either may be booked first: the lines are compared as a
        // set, and the fee (booked after its deposit) comes before its deposit, newest first.
        expect(lines).toHaveLength(3);
        expect(lines).toEqual(
          expect.arrayContaining([
            ['deposit', 'pending', '3.000000', `${small.txId}:0`],
            ['deposit_fee', 'posted', '-0.755000', `${deposit.txId}:0`],
            ['deposit', 'posted', '25.500000', `${deposit.txId}:0`],
          ]),
        );
        const feeIndex = lines.findIndex((line) => line[0] === 'deposit_fee');
        const creditIndex = lines.findIndex((line) => line[0] === 'deposit' && line[1] === 'posted');
        expect(feeIndex).toBeLessThan(creditIndex);
        expect(await wallet()).toEqual({
          posted: { amount: '24.745000', asset: 'USDT' },
          pending: { amount: '3.000000', asset: 'USDT' },
          available: { amount: '24.745000', asset: 'USDT' },
        });

        await smallHandle.signal(depositReviewSignalName, { approve: false });
        await smallHandle.result();
        expect((await deposits())[0]).toMatchObject({
          txId: small.txId,
          state: 'rejected',
          net: null,
        });
        expect(await statement()).toHaveLength(2);
        expect((await wallet()).pending).toEqual({ amount: '0.000000', asset: 'USDT' });
      });
    },
  );
});
