// Proves a deposit's auto-load meets the program limits exactly as a load through the API does (the same check under
// the same user lock, @cardgate/load-limits), on the real stack: a deposit that fits is loaded onto the card; one
// whose net is over the per-load limit is not loaded at all (no load row, nothing held, the card untouched, the net
// stays spendable in the wallet) and its owner is told the limit and what is left of it; one that fits the per-load
// limit but not what is left of the day's (the first auto-load counted) is skipped the same way, naming the daily
// limit. The deposit itself is credited every time.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '@cardgate/db';
import { depositEventSignalName, depositWorkflowId, type DepositEvent } from '@cardgate/contracts';
import { parseMoney, USD, USDT } from '@cardgate/money';
import { uniqueSuffix, useTestDatabase } from '@cardgate/test-harness';
import { testMoneySettings } from '../services/worker/src/testing.ts';
import { depositWorkflow } from '../services/worker/src/workflows/deposit.workflow.ts';
import { withCardStack } from './card-stack.ts';

const database = useTestDatabase({ maxPoolSize: 20 });
const noRows = z.object({});

const limits = {
  perLoad: parseMoney('30', USD),
  perDay: parseMoney('40', USD),
  perMonth: parseMoney('1000', USD),
  cardBalanceMax: parseMoney('1000', USD),
};

describe("a deposit's auto-load and the program limits", () => {
  it('loads a deposit that fits, skips (and tells) one over the per-load limit and one over what is left of the day', async () => {
    await withCardStack(
      { pool: database.pool, label: 'auto-limits', money: { ...testMoneySettings, limits } },
      async (stack) => {
        const userId = `auto-${uniqueSuffix()}`;
        await stack.fundWallet(userId, '3'); // the 2 USDT issue fee
        const card = await stack.issueCard(userId, { autoLoad: true });
        const address = `TAutoLoadLimits${uniqueSuffix()}`.replaceAll('0', 'z').padEnd(34, 'x').slice(0, 34);
        await database.pool.query(sql.type(noRows)`
          insert into deposit_address (user_id, chain_account, derivation_index, address_base58, address_hex)
          values (${userId}, 0, 7, ${address}, ${'41' + 'ab'.repeat(20)})`);

        const deposit = async (usdt: string) => {
          const txId = (uniqueSuffix() + 'f'.repeat(64)).slice(0, 64);
          const amountMinor = parseMoney(usdt, USDT).minor.toString();
          const final: DepositEvent = {
            event: 'final',
            sequence: 1,
            txId,
            logIndex: 0,
            chain: 'tron',
            tokenContract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
            asset: 'USDT',
            from: 'TSender',
            to: address,
            amountMinor,
            blockNumber: '100',
            blockHash: 'ab'.repeat(32),
            blockTimestampMs: '1790000000000',
          };
          await database.pool.query(sql.type(noRows)`
            insert into deposit (tx_id, log_index, chain, token_contract, asset, from_address, to_address,
              amount_minor, block_number, block_hash, block_timestamp_ms, status, event_sequence, final_at)
            values (${txId}, 0, 'tron', ${final.tokenContract}, 'USDT', 'TSender', ${address}, ${amountMinor},
              100, ${final.blockHash}, 1790000000000, 'final', 1, now())`);
          const handle = await stack.client.workflow.signalWithStart(depositWorkflow, {
            taskQueue: stack.taskQueue,
            workflowId: depositWorkflowId(txId, 0),
            args: [{ txId, logIndex: 0 }],
            signal: depositEventSignalName,
            signalArgs: [final],
          });
          return { txId, result: await handle.result() };
        };
        const loadsOfUser = () =>
          database.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
            select count(*)::int4 as n from card_load where user_id = ${userId}`);
        const skipped = async (txId: string) =>
          (await stack.notifications.getJob(`card-auto-load-skipped_dep-${txId}-0`))?.data as unknown;

        // 20 USDT: 19.30 net after the fee (0.5 + 1%) → 19.29 USD gross, 0.29 spread: 19.00 USD on the card.
        const fits = await deposit('20');
        expect(fits.result).toMatchObject({ credit: { status: 'credited' }, cardLoad: { status: 'loaded' } });
        const loaded = BigInt((fits.result.cardLoad as { usdMinor: string }).usdMinor);
        expect(await stack.ledgerCard(card.cardId, userId)).toMatchObject({ settled: loaded });
        expect(await loadsOfUser()).toBe(1);
        const walletAfterFirst = await stack.walletAvailable(userId);

        // 50 USDT: its net is far over the 30 USD per-load limit. Credited, not loaded, told.
        const overLoad = await deposit('50');
        expect(overLoad.result).toMatchObject({
          credit: { status: 'credited', netMinor: '49000000' },
          cardLoad: { status: 'rejected' },
        });
        expect(await loadsOfUser()).toBe(1);
        expect(await stack.walletAvailable(userId)).toBe(walletAfterFirst + 49_000_000n);
        expect(await stack.ledgerCard(card.cardId, userId)).toMatchObject({ settled: loaded, pending: 0n });
        expect(await skipped(overLoad.txId)).toEqual({
          id: `card-auto-load-skipped:dep-${overLoad.txId}-0`,
          userId,
          kind: 'card_auto_load_skipped',
          data: { cardId: card.cardId, limit: 'perLoad', remainingMinor: '3000' },
        });

        // 25 USDT: 24.25 net, about 23.87 USD, under the per-load limit but over the 21.00 USD left of the day.
        const overDay = await deposit('25');
        expect(overDay.result).toMatchObject({ cardLoad: { status: 'rejected' } });
        expect(await loadsOfUser()).toBe(1);
        expect(await skipped(overDay.txId)).toMatchObject({
          data: { limit: 'perDay', remainingMinor: (4_000n - loaded).toString() },
        });
        expect(await stack.walletAvailable(userId)).toBe(walletAfterFirst + 49_000_000n + 24_250_000n);
        expect((await stack.ledger.verify()).ok).toBe(true);
      },
    );
  }, 90_000);
});
