// Proves `reconcile` on real parts (PostgreSQL, Temporal, the TRON devnet over HTTP, the card sandbox over HTTP, the
// watcher's follower and outbox, the worker's flows): after a deposit, a card issue, a load and a purchase the system
// reconciles with no difference; then each seeded discrepancy is found and named with its objects and both sides'
// amounts, one test each: a final deposit never credited, a deposit credited twice, a credit with no transfer on
// chain, an address's on-chain balance off by one minor unit, a card balance off by one cent, a provider transaction
// never seen, a provider load never posted, a posted load the provider does not know, and a transfer in a block the
// watcher skipped, which the rescan the finding names then records (and the next run is clean of it).
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpCardProvider } from '@cardgate/card-provider';
import { createCardStore } from '@cardgate/card-store';
import { depositWorkflowId, type DepositWorkflowResult } from '@cardgate/contracts';
import { createDepositAddressService, type DepositAddress } from '@cardgate/deposit-addresses';
import { chart, cardLoadPendingTransferId } from '@cardgate/domain';
import { moneyFromMinor, USD, USDT } from '@cardgate/money';
import { createReconciler, type Finding, type Reconciler } from '@cardgate/reconciliation';
import { useTestDatabase, uniqueSuffix } from '@cardgate/test-harness';
import { accountExtendedPublicKey, createTronNodeClient } from '@cardgate/tron';
import {
  devnetBalanceCheckerContract,
  devnetFaucetAddress,
  mainnetUsdtContract,
  startDevnet,
  type RunningDevnet,
} from '@cardgate/tron-devnet';
import { AddressBook } from '../services/watcher/src/address-book.ts';
import { createDepositAddressSource } from '../services/watcher/src/address-book-store.ts';
import { createDepositStore } from '@cardgate/deposit-store';
import { createFollower } from '../services/watcher/src/follower.ts';
import { createOutboxDispatcher } from '../services/watcher/src/outbox-dispatcher.ts';
import { rescan } from '../services/watcher/src/rescan.ts';
import { createTemporalHandOver } from '../services/watcher/src/temporal-hand-over.ts';
import { createTronChainSource } from '../services/watcher/src/tron-chain-source.ts';
import { ensureReconciliationSchedule } from '../services/worker/src/reconciliation-schedule.ts';
import { reconciliationScheduleId } from '@cardgate/contracts';
import { sandboxApiKey, withCardStack, type CardStack } from './card-stack.ts';

const database = useTestDatabase({ maxPoolSize: 20 });
const mnemonic =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const chainId = `reconcile-${uniqueSuffix()}`;
let devnet: RunningDevnet;
let stack: CardStack;
let releaseStack: () => void = () => undefined;
let stackDone: Promise<void> = Promise.resolve();
let reconciler: Reconciler;
let deposits: {
  source: ReturnType<typeof createTronChainSource>;
  store: ReturnType<typeof createDepositStore>;
  follow(): Promise<void>;
  dispatch(): Promise<void>;
};
let addresses: ReturnType<typeof createDepositAddressService>;
let alice: DepositAddress;
let aliceCard: { cardId: string; providerToken: string };
let firstDepositTxId: string;

beforeAll(async () => {
  devnet = await startDevnet({ port: 0, blockIntervalMs: 0, solidityLagBlocks: 3 });
  await new Promise<void>((ready, fail) => {
    // The worker's reconciliation activity runs the reconciler made below, once the sandbox it reads is up.
    const deferred: Reconciler = {
      get store() {
        return reconciler.store;
      },
      run: (input) => reconciler.run(input),
    };
    stackDone = withCardStack(
      { pool: database.pool, label: 'reconcile', reconciler: deferred },
      async (running) => {
        stack = running;
        ready();
        await new Promise<void>((release) => (releaseStack = release));
      },
    ).catch(fail);
  });
  addresses = createDepositAddressService({
    pool: database.pool,
    xpub: accountExtendedPublicKey(mnemonic, 12),
    account: 12,
  });
  const source = createTronChainSource({
    name: 'devnet',
    client: createTronNodeClient({ baseUrl: devnet.url, timeoutMs: 2_000 }),
    tokenContract: mainnetUsdtContract,
    infoConcurrencyMax: 4,
  });
  const store = createDepositStore(database.pool, {
    chain: chainId,
    contract: mainnetUsdtContract,
    asset: 'USDT',
  });
  const follower = createFollower({
    source,
    store,
    addressBook: new AddressBook(createDepositAddressSource(database.pool)),
    finality: { kind: 'solidified' },
    startBlockNumber: 0,
    batchBlocksMax: 100,
    reorgDepthMax: 16,
    keepBlocksBelowFinal: 16,
  });
  const outbox = createOutboxDispatcher({
    pool: database.pool,
    handOver: createTemporalHandOver(stack.client, stack.taskQueue),
    batchRowsMax: 100,
    concurrencyMax: 4,
  });
  deposits = {
    source,
    store,
    async follow() {
      for (let step = 0; step < 50; step += 1) if ((await follower.step()).caughtUp) return;
      throw new Error('the follower did not catch up');
    },
    async dispatch() {
      await outbox.dispatchOnce();
    },
  };
  reconciler = createReconciler({
    pool: database.pool,
    chain: {
      client: createTronNodeClient({ baseUrl: devnet.url, timeoutMs: 2_000 }),
      tokenContract: mainnetUsdtContract,
      concurrencyMax: 8,
      attemptsMax: 3,
      backoffMsMax: 100,
      chainId,
      startBlock: 0,
      creditGraceBlocks: 0,
      balanceChecker: devnetBalanceCheckerContract,
    },
    provider: createHttpCardProvider({ baseUrl: stack.sandbox.url, apiKey: sandboxApiKey, timeoutMs: 2_000 }),
    providerGraceMs: 0,
  });
}, 60_000);

afterAll(async () => {
  releaseStack();
  await stackDone;
  await devnet?.close();
});

/** Sends USDT from the faucet to `address` and makes it final: the block and enough blocks on top. */
function send(address: string, amountMinor: bigint): string {
  const txId = devnet.chain.submitTransfer([{ to: address, amountMinor }]);
  devnet.chain.produce(5);
  return txId;
}

async function depositAndCredit(
  address: string,
  amountMinor: bigint,
): Promise<{ txId: string; result: DepositWorkflowResult }> {
  const txId = send(address, amountMinor);
  await deposits.follow();
  await deposits.dispatch();
  const result = (await stack.client.workflow
    .getHandle(depositWorkflowId(txId, 0))
    .result()) as DepositWorkflowResult;
  return { txId, result };
}

const differencesOf = (findings: readonly Finding[]): Finding[] =>
  findings.filter((finding) => finding.category === 'difference');

/** The differences of a run, after every webhook the sandbox sent was handled (unless webhooks are held). */
async function reconcileFindings(options: { settle?: boolean } = {}): Promise<Finding[]> {
  if (options.settle ?? true) await stack.webhooksSettled();
  return differencesOf((await reconciler.run({ trigger: 'test' })).findings);
}

describe('reconcile', () => {
  it('finds no difference after a deposit, a card issue, an auto-load and a purchase, and lists the open hold as in flight', async () => {
    alice = await addresses.assign(`alice-${uniqueSuffix()}`);
    firstDepositTxId = (await depositAndCredit(alice.base58, 30_000_000n)).txId;
    const card = await stack.issueCard(alice.userId, { autoLoad: true });
    aliceCard = { cardId: card.cardId, providerToken: card.providerToken };
    const second = await depositAndCredit(alice.base58, 50_000_000n);
    expect(second.result.cardLoad).toMatchObject({ status: 'loaded', usdMinor: '4823' });
    const auth = await fetch(`${stack.sandbox.url}/v1/simulate/authorize`, {
      method: 'POST',
      headers: { authorization: sandboxApiKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        card_token: card.providerToken,
        amount: '2000',
        descriptor: 'BOOKS',
        mcc: '5942',
      }),
    }).then((response) => response.json() as Promise<{ token: string }>);
    await fetch(`${stack.sandbox.url}/v1/simulate/clearing`, {
      method: 'POST',
      headers: { authorization: sandboxApiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ token: auth.token, amount: '1800' }),
    });
    await stack.webhooksSettled();
    await expect
      .poll(() => stack.ledgerCard(card.cardId, alice.userId), { timeout: 15_000 })
      .toEqual(await stack.sandboxCard(card.providerToken));

    const report = await reconciler.run({ trigger: 'test' });
    expect(differencesOf(report.findings)).toEqual([]);
    expect(report.differences).toBe(0);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        category: 'in_flight',
        kind: 'authorization_not_cleared',
        ledgerMinor: 200n,
        otherMinor: 200n,
        objects: expect.objectContaining({ providerTransactionId: auth.token, cardId: card.cardId }),
      }),
    );
    expect(report.comparisons.find((c) => c.comparison === 'chain')?.checked).toMatchObject({
      finalTransfers: 2,
      depositCredits: 2,
    });
    const stored = await reconciler.store.lastFinishedRun();
    expect(stored).toMatchObject({ id: report.runId, status: 'clean', differences: 0 });
    expect(stored?.findings).toHaveLength(report.findings.length);
  });

  it('names a final deposit that was never credited, with its amount on chain and none in the ledger', async () => {
    const bob = await addresses.assign(`bob-${uniqueSuffix()}`);
    const txId = send(bob.base58, 12_000_000n);
    await deposits.follow(); // recorded by the watcher, but never handed over to the deposit flow
    const findings = await reconcileFindings();
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'final_deposit_not_credited',
        ledgerMinor: null,
        otherMinor: 12_000_000n,
        objects: expect.objectContaining({ txId, logIndex: '0', address: bob.base58 }),
      }),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'address_balance_differs',
        ledgerMinor: 0n,
        otherMinor: 12_000_000n,
        objects: { address: bob.base58, userId: bob.userId },
      }),
    );
    // Handed over now, it is credited and the finding goes.
    await deposits.dispatch();
    await stack.client.workflow.getHandle(depositWorkflowId(txId, 0)).result();
    const after = await reconcileFindings();
    expect(after.filter((finding) => finding.objects.txId === txId)).toEqual([]);
  });

  it('names a deposit credited twice, with both credits against the one transfer', async () => {
    // Around the ledger's rules: a second credit under another id, as a buggy or replayed flow could write it.
    const [treasury, wallet] = await stack.ledger.createAccounts([
      chart.treasury,
      chart.wallet(alice.userId),
    ]);
    await stack.ledger.transfer({
      type: 'posted',
      id: `deposit:${firstDepositTxId}:0:again`,
      code: 'deposit',
      debitAccountId: treasury!.id,
      creditAccountId: wallet!.id,
      amount: moneyFromMinor(30_000_000n, USDT),
      metadata: { txId: firstDepositTxId, logIndex: 0, userId: alice.userId },
    });
    const findings = await reconcileFindings();
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'deposit_credited_more_than_once',
        ledgerMinor: 60_000_000n,
        otherMinor: 30_000_000n,
        objects: expect.objectContaining({
          txId: firstDepositTxId,
          logIndex: '0',
          ledgerTransferIds: `deposit:${firstDepositTxId}:0,deposit:${firstDepositTxId}:0:again`,
        }),
      }),
    );
  });

  it('names a credit with no transfer on chain', async () => {
    const txId = randomBytes(32).toString('hex');
    const [treasury, wallet] = await stack.ledger.createAccounts([
      chart.treasury,
      chart.wallet(alice.userId),
    ]);
    await stack.ledger.transfer({
      type: 'posted',
      id: `deposit:${txId}:0`,
      code: 'deposit',
      debitAccountId: treasury!.id,
      creditAccountId: wallet!.id,
      amount: moneyFromMinor(7_000_000n, USDT),
      metadata: { txId, logIndex: 0, userId: alice.userId },
    });
    const findings = await reconcileFindings();
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'credit_without_transfer_on_chain',
        ledgerMinor: 7_000_000n,
        otherMinor: null,
        objects: expect.objectContaining({
          ledgerTransferId: `deposit:${txId}:0`,
          txId,
          address: alice.base58,
        }),
      }),
    );
  });

  it("names an address whose on-chain balance is one minor unit off the ledger's", async () => {
    const carol = await addresses.assign(`carol-${uniqueSuffix()}`);
    await depositAndCredit(carol.base58, 20_000_000n);
    // One minor unit leaves the address on chain (no sweep exists, so the ledger knows of nothing leaving).
    devnet.chain.submitTransfer([{ from: carol.base58, to: devnetFaucetAddress, amountMinor: 1n }]);
    devnet.chain.produce(5);
    const findings = await reconcileFindings();
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'address_balance_differs',
        asset: 'USDT',
        ledgerMinor: 20_000_000n,
        otherMinor: 19_999_999n,
        objects: { address: carol.base58, userId: carol.userId },
      }),
    );
  });

  it('names a card whose balance at the provider is one cent off its ledger account', async () => {
    // One cent booked to the card in the ledger that the provider never received.
    const [fxUsd, card] = await stack.ledger.createAccounts([
      chart.fxPositionUsd,
      chart.card(aliceCard.cardId, alice.userId),
    ]);
    await stack.ledger.transfer({
      type: 'posted',
      id: `test-cent:${randomUUID()}`,
      code: 'card_adjust',
      debitAccountId: fxUsd!.id,
      creditAccountId: card!.id,
      amount: moneyFromMinor(1n, USD),
    });
    const providerCard = await stack.sandboxCard(aliceCard.providerToken);
    const findings = await reconcileFindings();
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'card_balance_differs',
        asset: 'USD',
        ledgerMinor: providerCard.settled + 1n,
        otherMinor: providerCard.settled,
        objects: expect.objectContaining({
          cardId: aliceCard.cardId,
          providerToken: aliceCard.providerToken,
        }),
      }),
    );
  });

  it('names a provider transaction the ledger never saw', async () => {
    stack.sandbox.sandbox.faults.set({ holdWebhooks: true });
    try {
      const outcome = await fetch(`${stack.sandbox.url}/v1/simulate/financial_authorization`, {
        method: 'POST',
        headers: { authorization: sandboxApiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ card_token: aliceCard.providerToken, amount: '300', descriptor: 'ATM' }),
      }).then((response) => response.json() as Promise<{ token: string; result: string }>);
      expect(outcome.result).toBe('APPROVED');
      const findings = await reconcileFindings({ settle: false });
      expect(findings).toContainEqual(
        expect.objectContaining({
          kind: 'provider_transaction_not_seen',
          ledgerMinor: null,
          otherMinor: 300n,
          objects: expect.objectContaining({
            providerTransactionId: outcome.token,
            cardId: aliceCard.cardId,
          }),
        }),
      );
    } finally {
      await stack.sandbox.sandbox.faults.clear();
    }
  });

  it('names a load the provider made that was never posted', async () => {
    const provider = createHttpCardProvider({
      baseUrl: stack.sandbox.url,
      apiKey: sandboxApiKey,
      timeoutMs: 2_000,
    });
    const loadId = `ghost-${uniqueSuffix()}`;
    const load = await provider.loadCard({
      cardToken: aliceCard.providerToken,
      amount: moneyFromMinor(500n, USD),
      idempotencyKey: `load:${loadId}`,
    });
    const findings = await reconcileFindings();
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'provider_load_not_posted',
        ledgerMinor: null,
        otherMinor: 500n,
        objects: expect.objectContaining({
          providerLoadToken: load.token,
          providerToken: aliceCard.providerToken,
          loadId,
          cardLoad: 'none',
          ledgerPost: 'none',
        }),
      }),
    );
  });

  it('names a posted load the provider does not know', async () => {
    const loadId = `phantom-${uniqueSuffix()}`;
    const cards = createCardStore(database.pool);
    await cards.loads.create({
      loadId,
      cardId: aliceCard.cardId,
      userId: alice.userId,
      quote: {
        amount: moneyFromMinor(1_000_000n, USDT),
        rate: '1',
        spreadBasisPoints: 0n,
        gross: moneyFromMinor(100n, USD),
        spread: moneyFromMinor(0n, USD),
        fee: moneyFromMinor(0n, USD),
        net: moneyFromMinor(100n, USD),
        quotedAt: new Date(),
        configVersion: 'test',
      },
    });
    await cards.loads.markLoaded(loadId, 'load_phantom');
    const [fxUsd, card] = await stack.ledger.createAccounts([
      chart.fxPositionUsd,
      chart.card(aliceCard.cardId, alice.userId),
    ]);
    await stack.ledger.transfer({
      type: 'posted',
      id: `${cardLoadPendingTransferId(loadId)}:usd`,
      code: 'card_load',
      debitAccountId: fxUsd!.id,
      creditAccountId: card!.id,
      amount: moneyFromMinor(100n, USD),
      metadata: { loadId, providerLoadToken: 'load_phantom' },
    });
    const findings = await reconcileFindings();
    expect(findings).toContainEqual(
      expect.objectContaining({
        kind: 'posted_load_unknown_to_provider',
        ledgerMinor: 100n,
        otherMinor: null,
        objects: expect.objectContaining({
          loadId,
          cardId: aliceCard.cardId,
          cardLoad: 'loaded',
          providerLoadToken: 'load_phantom',
          ledgerPost: `load:${loadId}:usd`,
        }),
      }),
    );
  });

  it('names a transfer in a block the watcher skipped, and the rescan it names records it', async () => {
    const dave = await addresses.assign(`dave-${uniqueSuffix()}`);
    await deposits.follow();
    const cursor = (await deposits.store.loadCursor())!;
    const txId = devnet.chain.submitTransfer([{ to: dave.base58, amountMinor: 9_000_000n }]);
    devnet.chain.produce(5);
    const block = devnet.chain.headNumber - 4;
    // The watcher passes the blocks as if the node's answer had dropped the transfer: recorded with no deposit.
    const passed = await deposits.source.blocks(
      cursor.number + 1,
      devnet.chain.solidifiedNumber + 1,
      devnet.chain.solidifiedNumber,
    );
    await deposits.store.applyBlocks(cursor, passed, []);
    await deposits.follow();
    await deposits.dispatch();

    const findings = await reconcileFindings();
    const skipped = findings.find(
      (finding) => finding.kind === 'final_deposit_not_credited' && finding.objects.txId === txId,
    );
    expect(skipped).toMatchObject({
      otherMinor: 9_000_000n,
      objects: {
        txId,
        logIndex: '0',
        address: dave.base58,
        block: String(block),
        rescan: expect.stringContaining(`rescan-cli.ts ${block} ${block}`),
      },
    });

    const rescanned = await rescan({
      source: deposits.source,
      store: deposits.store,
      addressBook: new AddressBook(createDepositAddressSource(database.pool)),
      finality: { kind: 'solidified' },
      fromInclusive: block,
      toInclusive: block,
      batchBlocksMax: 10,
    });
    expect(rescanned.depositsRecorded).toBe(1);
    await deposits.dispatch();
    await stack.client.workflow.getHandle(depositWorkflowId(txId, 0)).result();
    const after = await reconcileFindings();
    expect(
      after.filter((finding) => finding.objects.txId === txId || finding.objects.address === dave.base58),
    ).toEqual([]);
  });

  it('runs as a Temporal Schedule, made idempotently, whose run is stored like any other', async () => {
    const options = { taskQueue: stack.taskQueue, every: '1 hour' };
    expect(await ensureReconciliationSchedule(stack.client, options)).toBe('created');
    expect(await ensureReconciliationSchedule(stack.client, { ...options, every: '2 hours' })).toBe(
      'updated',
    );
    const handle = stack.client.schedule.getHandle(reconciliationScheduleId(stack.taskQueue));
    try {
      const described = await handle.describe();
      expect(described.spec.intervals).toEqual([expect.objectContaining({ every: 2 * 3_600_000 })]);
      const before = await reconciler.store.lastFinishedRun();
      await handle.trigger();
      await expect
        .poll(async () => (await reconciler.store.lastFinishedRun())?.id, { timeout: 30_000, interval: 250 })
        .not.toBe(before?.id);
      const run = await reconciler.store.lastFinishedRun();
      expect(run).toMatchObject({ trigger: 'schedule', status: 'differences' });
      expect(run!.differences).toBeGreaterThan(0);
    } finally {
      await handle.delete();
    }
  });
});
