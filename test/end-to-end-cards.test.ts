// The whole path, end to end on real parts: USDT sent on the TRON devnet to a user's deposit address is seen by the
// watcher, becomes final, is handed to the deposit workflow over Temporal, credited in the ledger (fee to revenue),
// and, once the user has a card with auto-load, continues into a card load at the sandbox; spending through the
// sandbox's simulate endpoints comes back as webhooks through the API; the ledger card account equals the sandbox card
// balance, and the books balance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountExtendedPublicKey, createTronNodeClient } from '@cardgate/tron';
import { createDepositAddressService } from '@cardgate/deposit-addresses';
import { mainnetUsdtContract, startDevnet, type RunningDevnet } from '@cardgate/tron-devnet';
import { recordHistoryIfAsked, useTestDatabase, uniqueSuffix } from '@cardgate/test-harness';
import { depositWorkflowId, type DepositWorkflowResult } from '@cardgate/contracts';
import { AddressBook } from '../services/watcher/src/address-book.ts';
import { createDepositAddressSource } from '../services/watcher/src/address-book-store.ts';
import { createDepositStore } from '@cardgate/deposit-store';
import { createFollower } from '../services/watcher/src/follower.ts';
import { createOutboxDispatcher } from '../services/watcher/src/outbox-dispatcher.ts';
import { createTemporalHandOver } from '../services/watcher/src/temporal-hand-over.ts';
import { createTronChainSource } from '../services/watcher/src/tron-chain-source.ts';
import { withCardStack } from './card-stack.ts';

const database = useTestDatabase({ maxPoolSize: 20 });
let devnet: RunningDevnet;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLagBlocks: 3 });
});
afterAll(async () => {
  await devnet?.close();
});

describe('USDT on TRON to a spendable card', () => {
  it('credits a deposit, auto-loads the card with the next one, and keeps ledger and sandbox equal through spending', async () => {
    const addresses = createDepositAddressService({
      pool: database.pool,
      xpub: accountExtendedPublicKey(
        'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
        11,
      ),
      account: 11,
    });
    const userId = `e2e-${uniqueSuffix()}`;
    const address = await addresses.assign(userId);

    await withCardStack({ pool: database.pool, label: 'e2e' }, async (stack) => {
      const follower = createFollower({
        source: createTronChainSource({
          name: 'devnet',
          client: createTronNodeClient({ baseUrl: devnet.url, timeoutMs: 2_000 }),
          tokenContract: mainnetUsdtContract,
          infoConcurrencyMax: 8,
        }),
        store: createDepositStore(database.pool, {
          chain: `e2e-${uniqueSuffix()}`,
          contract: mainnetUsdtContract,
          asset: 'USDT',
        }),
        addressBook: new AddressBook(createDepositAddressSource(database.pool)),
        finality: { kind: 'solidified' },
        startBlockNumber: devnet.chain.headNumber + 1,
        batchBlocksMax: 100,
        reorgDepthMax: 16,
        keepBlocksBelowFinal: 16,
      });
      const outbox = createOutboxDispatcher({
        pool: database.pool,
        handOver: createTemporalHandOver(stack.client, stack.taskQueue),
        batchRowsMax: 100,
        concurrencyMax: 8,
      });
      const depositIds: string[] = [];
      async function deposit(amountMinor: bigint): Promise<DepositWorkflowResult> {
        const txId = devnet.chain.submitTransfer([{ to: address.base58, amountMinor }]);
        devnet.chain.produce(5); // the block and enough on top of it to be solidified
        for (let step = 0; step < 20; step += 1) if ((await follower.step()).caughtUp) break;
        await outbox.dispatchOnce();
        depositIds.push(depositWorkflowId(txId, 0));
        return (await stack.client.workflow
          .getHandle(depositWorkflowId(txId, 0))
          .result()) as DepositWorkflowResult;
      }

      // First deposit: 30 USDT, 0.5 + 1% fee = 0.8; no card yet, so it stays in the wallet.
      const first = await deposit(30_000_000n);
      expect(first.credit).toMatchObject({
        userId,
        status: 'credited',
        feeMinor: '800000',
        netMinor: '29200000',
      });
      expect(first.cardLoad).toBeUndefined();
      expect(await stack.walletAvailable(userId)).toBe(29_200_000n);

      const card = await stack.issueCard(userId, { autoLoad: true });
      expect(await stack.walletAvailable(userId)).toBe(27_200_000n);

      // Second deposit: 50 USDT − 1.0 fee = 49 USDT, loaded onto the card: 49 × 0.9995 = 48.9755 → 48.97 USD,
      // spread 1.5% = 0.734550 → 0.74, the card gets 48.23 USD.
      const second = await deposit(50_000_000n);
      expect(second.credit).toMatchObject({ status: 'credited', netMinor: '49000000' });
      expect(second.cardLoad).toMatchObject({ status: 'loaded', usdMinor: '4823' });
      expect(await stack.walletAvailable(userId)).toBe(27_200_000n);

      const auth = await fetch(`${stack.sandbox.url}/v1/simulate/authorize`, {
        method: 'POST',
        headers: { authorization: 'test-sandbox-key', 'content-type': 'application/json' },
        body: JSON.stringify({
          card_token: card.providerToken,
          amount: '2000',
          descriptor: 'BOOKS',
          mcc: '5942',
        }),
      }).then((response) => response.json() as Promise<{ token: string }>);
      await fetch(`${stack.sandbox.url}/v1/simulate/clearing`, {
        method: 'POST',
        headers: { authorization: 'test-sandbox-key', 'content-type': 'application/json' },
        body: JSON.stringify({ token: auth.token, amount: '1800' }),
      });
      await stack.webhooksSettled();
      const sandboxView = await stack.sandboxCard(card.providerToken);
      expect(sandboxView).toEqual({ settled: 3_023n, pending: 200n, available: 2_823n }); // 200 still on hold
      await expect
        .poll(() => stack.ledgerCard(card.cardId, userId), { timeout: 15_000 })
        .toEqual(sandboxView);
      const report = await stack.ledger.verify();
      expect(report.ok).toBe(true);
      await recordHistoryIfAsked(depositIds[1]!, 'deposit-credited-auto-load');
    });
  });
});
