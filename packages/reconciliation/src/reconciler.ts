// One reconciliation run: reads each side through its adapter (the ledger and the card tables through their owners'
// read functions, the chain through the node, the provider through its HTTP adapter), hands what it read to the pure
// comparisons, and stores the run with its findings. The order of reads fixes the as-of points: the outside world is
// read first and the ledger after it, so anything the outside world did before the ledger's as-of point has had its
// chance to reach the ledger; what is younger than the grace periods is in flight, not a difference.
import type {
  CardProviderReports,
  ProviderCard,
  ProviderLoad,
  ProviderTransactionListed,
} from '@cardgate/card-provider';
import { createCardReconciliationReads } from '@cardgate/card-store';
import type { DatabasePool } from '@cardgate/db';
import { createDepositAddressStore, depositAddressRowsMax } from '@cardgate/deposit-addresses';
import {
  createLedgerReconciliationReads,
  reconciliationPageRowsMax,
  verifyLedger,
  type AccountAt,
  type JournalEntry,
  type Totals,
} from '@cardgate/ledger';
import { ledgerFindings } from './compare-ledger.ts';
import {
  chainFindings,
  depositCreditCodes,
  depositEffectsOf,
  type ChainTransfer,
  type OurAddress,
} from './compare-chain.ts';
import { cardLoadCode, loadPostsOf, providerFindings } from './compare-provider.ts';
import { createChainReader, type ChainReaderOptions } from './chain-reader.ts';
import { countDifferences, type ComparisonResult, type Finding } from './findings.ts';
import { createReconciliationStore, transferRowsMax } from './run-store.ts';

export interface ReconcilerOptions {
  readonly pool: DatabasePool;
  readonly chain: ChainReaderOptions & {
    /** Names the chain in the reconciler's record (the watcher's WATCHER_CHAIN_ID). */
    readonly chainId: string;
    /** Where the first run starts reading blocks (the watcher's WATCHER_START_BLOCK). */
    readonly startBlock: number;
    /** Final transfers this many blocks below the solidified block or nearer, not yet credited, are in flight. */
    readonly creditGraceBlocks: number;
    /** The rescan command for a block range, as an operator runs it. */
    readonly rescanHint?: (fromBlock: number, toBlock: number) => string;
  };
  readonly provider: CardProviderReports;
  /** Provider events younger than this may still be on their way to the ledger (webhooks): in flight. */
  readonly providerGraceMs: number;
  readonly now?: () => number;
}

export interface ProgressEvent {
  readonly step: string;
  readonly done: number;
  readonly total: number;
}

export interface ReconciliationReport {
  readonly runId: bigint;
  readonly trigger: string;
  readonly startedAt: string;
  readonly asOf: Readonly<Record<string, string>>;
  readonly comparisons: readonly ComparisonResult[];
  readonly findings: readonly Finding[];
  readonly differences: number;
  readonly inFlight: number;
  /** Where the time went: reading each side, verifying the ledger, comparing. */
  readonly timingsMs: Readonly<Record<string, number>>;
  readonly durationMs: number;
}

/** Bound on a provider list: pages of 1,000 items. */
const providerPagesMax = 10_000;
const providerPageSize = 1_000;

const defaultRescanHint = (fromBlock: number, toBlock: number): string =>
  `node services/watcher/src/rescan-cli.ts ${fromBlock} ${toBlock}`;

export function createReconciler(options: ReconcilerOptions) {
  const { pool } = options;
  const now = options.now ?? Date.now;
  const ledgerReads = createLedgerReconciliationReads(pool);
  const cardReads = createCardReconciliationReads(pool);
  const addressStore = createDepositAddressStore(pool);
  const store = createReconciliationStore(pool);
  const chain = createChainReader(options.chain);
  const rescanHint = options.chain.rescanHint ?? defaultRescanHint;

  async function journal(codes: readonly string[], throughSeq: bigint): Promise<JournalEntry[]> {
    const entries: JournalEntry[] = [];
    for (let afterSeq = 0n; ;) {
      const page = await ledgerReads.journalPage({
        codes,
        afterSeq,
        throughSeq,
        limit: reconciliationPageRowsMax,
      });
      entries.push(...page);
      if (page.length < reconciliationPageRowsMax) return entries;
      afterSeq = page[page.length - 1]!.seq;
    }
  }

  async function accountsAt(prefix: string, throughSeq: bigint): Promise<AccountAt[]> {
    const accounts: AccountAt[] = [];
    for (let afterId = 0n; ;) {
      const page = await ledgerReads.accountsAt({
        prefix,
        afterId,
        throughSeq,
        limit: reconciliationPageRowsMax,
      });
      accounts.push(...page);
      if (page.length < reconciliationPageRowsMax) return accounts;
      afterId = page[page.length - 1]!.id;
    }
  }

  async function ourAddresses(): Promise<OurAddress[]> {
    const addresses: OurAddress[] = [];
    for (let afterId = 0n; ;) {
      const page = await addressStore.ownedPageAfter(afterId, depositAddressRowsMax);
      for (const entry of page)
        addresses.push({ userId: entry.userId, hex41: entry.hex41, base58: entry.base58 });
      if (page.length < depositAddressRowsMax) return addresses;
      afterId = page[page.length - 1]!.id;
    }
  }

  async function recordedFinal(): Promise<ChainTransfer[]> {
    const transfers: ChainTransfer[] = [];
    for (let after = { txId: '', logIndex: -1 }; ;) {
      const page = await store.finalTransfersAfter(options.chain.chainId, after, transferRowsMax);
      transfers.push(...page);
      if (page.length < transferRowsMax) return transfers;
      const last = page[page.length - 1]!;
      after = { txId: last.txId, logIndex: last.logIndex };
    }
  }

  async function listAll<T>(
    what: string,
    list: (request: {
      pageSize: number;
      startingAfter?: string;
    }) => Promise<{ items: readonly T[]; hasMore: boolean }>,
    tokenOf: (item: T) => string,
  ): Promise<T[]> {
    const items: T[] = [];
    let startingAfter: string | undefined;
    for (let page = 0; page < providerPagesMax; page += 1) {
      const answer = await list({ pageSize: providerPageSize, ...(startingAfter ? { startingAfter } : {}) });
      items.push(...answer.items);
      if (!answer.hasMore || answer.items.length === 0) return items;
      startingAfter = tokenOf(answer.items[answer.items.length - 1]!);
    }
    throw new Error(`the provider's ${what} list has more than ${providerPagesMax} pages`);
  }

  async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const started = performance.now();
    const value = await work();
    return { value, ms: performance.now() - started };
  }

  /** The chain side: new final blocks recorded, recent blocks read, balances read at the head. */
  async function readChain(addresses: readonly OurAddress[], progress: (event: ProgressEvent) => void) {
    const ours = new Map(addresses.map((address) => [address.hex41.slice(2), address.hex41]));
    const position = await chain.position();
    const cursor = await store.chainCursor(options.chain.chainId);
    const fromBlock = cursor === null ? options.chain.startBlock : cursor.blockNumber + 1;
    const finalBlocks = Math.max(0, position.solidifiedBlock - fromBlock + 1);
    let done = 0;
    const newlyFinal = await chain.transfersTo(ours, fromBlock, position.solidifiedBlock, () =>
      progress({ step: 'chain: final blocks', done: ++done, total: finalBlocks }),
    );
    if (finalBlocks > 0)
      await store.recordFinal(
        options.chain.chainId,
        cursor?.blockNumber ?? null,
        { blockNumber: position.solidifiedBlock, blockHash: position.solidifiedHash },
        newlyFinal,
      );
    const recentBefore = await chain.transfersTo(ours, position.solidifiedBlock + 1, position.headBlock);
    done = 0;
    const { balances } = await chain.balances(addresses, (count) =>
      progress({ step: 'chain: balances', done: (done += count), total: addresses.length }),
    );
    return { position, finalBlocks, recentBefore, balances };
  }

  async function readProvider(progress: (event: ProgressEvent) => void) {
    const provider = options.provider;
    progress({ step: 'provider: cards', done: 0, total: 4 });
    const cards = await listAll<ProviderCard>(
      'card',
      (request) => provider.listCards(request),
      (card) => card.token,
    );
    progress({ step: 'provider: transactions', done: 1, total: 4 });
    const transactions = await listAll<ProviderTransactionListed>(
      'transaction',
      (request) => provider.listAllTransactions(request),
      (txn) => txn.token,
    );
    progress({ step: 'provider: loads', done: 2, total: 4 });
    const loads = await listAll<ProviderLoad>(
      'load',
      (request) => provider.listLoads(request),
      (load) => load.token,
    );
    progress({ step: 'provider: program balance', done: 3, total: 4 });
    const programBalance = await provider.programBalance();
    progress({ step: 'provider: read', done: 4, total: 4 });
    return { cards, transactions, loads, programBalance, readAtMs: now() };
  }

  async function readCardTables() {
    const cards = [];
    for (let after = ''; ;) {
      const page = await cardReads.issuedCardsAfter(after, 10_000);
      cards.push(...page);
      if (page.length < 10_000) break;
      after = page[page.length - 1]!.cardId;
    }
    const transactions = [];
    for (let after = ''; ;) {
      const page = await cardReads.transactionsAfter(after, 10_000);
      transactions.push(...page);
      if (page.length < 10_000) break;
      after = page[page.length - 1]!.providerTransactionId;
    }
    const loads = [];
    for (let after = ''; ;) {
      const page = await cardReads.loadsAfter(after, 10_000);
      loads.push(...page);
      if (page.length < 10_000) break;
      after = page[page.length - 1]!.loadId;
    }
    return { cards, transactions, loads };
  }

  return {
    store,

    async run(input: {
      trigger: string;
      onProgress?: (event: ProgressEvent) => void;
    }): Promise<ReconciliationReport> {
      const progress = input.onProgress ?? (() => undefined);
      const startedAt = new Date(now()).toISOString();
      const started = performance.now();
      const runId = await store.beginRun(input.trigger);
      try {
        // The outside world first (see the opening comment), then the ledger as of one journal point.
        const addresses = await ourAddresses();
        const chainRead = await timed(() => readChain(addresses, progress));
        const providerRead = await timed(() => readProvider(progress));
        const ledgerSeq = await ledgerReads.lastSeq();
        // verify and the reads run side by side on their own connections: the database works on one while this
        // process parses the other's rows.
        progress({ step: 'ledger: verify and reads', done: 0, total: 1 });
        const [verify, ledgerRead] = await Promise.all([
          timed(() => verifyLedger(pool)),
          timed(async () => {
            const [depositEntries, loadEntries, treasury, prefund, cardAccounts, cardTables, finalTransfers] =
              await Promise.all([
                journal(depositCreditCodes, ledgerSeq),
                journal([cardLoadCode], ledgerSeq),
                accountsAt('treasury:tron:USDT', ledgerSeq),
                accountsAt('provider:prefund:USD', ledgerSeq),
                accountsAt('card:', ledgerSeq),
                readCardTables(),
                recordedFinal(),
              ]);
            return {
              depositEntries,
              loadEntries,
              treasury,
              prefund,
              cardAccounts,
              cardTables,
              finalTransfers,
            };
          }),
        ]);
        // Transfers that arrived while balances and the ledger were read: in flight, and their addresses' balances
        // may or may not include them.
        const { position } = chainRead.value;
        const headAfter = await chain.position();
        const recentAfter = await chain.transfersTo(
          new Map(addresses.map((address) => [address.hex41.slice(2), address.hex41])),
          position.headBlock + 1,
          headAfter.headBlock,
        );
        const recent = [...chainRead.value.recentBefore, ...recentAfter];
        const finalKeys = new Set(ledgerRead.value.finalTransfers.map((t) => `${t.txId}:${t.logIndex}`));

        let compared = performance.now();
        const totalsOf = (accounts: readonly AccountAt[]): Totals | undefined => accounts[0]?.totals;
        const chainResultFindings = chainFindings({
          finalTransfers: ledgerRead.value.finalTransfers,
          recentTransfers: recent.filter((t) => !finalKeys.has(`${t.txId}:${t.logIndex}`)),
          solidifiedBlock: position.solidifiedBlock,
          creditGraceBlocks: options.chain.creditGraceBlocks,
          addresses,
          balances: chainRead.value.balances,
          movingAddresses: new Set(recentAfter.map((transfer) => transfer.toHex41)),
          effects: depositEffectsOf(ledgerRead.value.depositEntries),
          treasury: totalsOf(ledgerRead.value.treasury),
          rescanHint,
        });
        const chainCompareMs = performance.now() - compared;
        compared = performance.now();
        const { cardTables } = ledgerRead.value;
        const providerResultFindings = providerFindings({
          providerCards: providerRead.value.cards,
          providerTransactions: providerRead.value.transactions,
          providerLoads: providerRead.value.loads,
          programBalance: providerRead.value.programBalance,
          cards: cardTables.cards,
          cardAccounts: new Map(ledgerRead.value.cardAccounts.map((account) => [account.id, account.totals])),
          transactions: cardTables.transactions,
          loads: cardTables.loads,
          loadPosts: loadPostsOf(ledgerRead.value.loadEntries),
          prefund: totalsOf(ledgerRead.value.prefund),
          readAtMs: providerRead.value.readAtMs,
          graceMs: options.providerGraceMs,
        });
        const providerCompareMs = performance.now() - compared;
        const ledgerSeqText = ledgerSeq.toString();
        const comparisons: ComparisonResult[] = [
          {
            comparison: 'ledger',
            asOf: { ledgerSeq: ledgerSeqText },
            checked: {
              accounts: Number(verify.value.accountsChecked),
              transfers: Number(verify.value.transfersChecked),
            },
            findings: ledgerFindings(verify.value),
            durationMs: verify.ms,
          },
          {
            comparison: 'chain',
            asOf: {
              ledgerSeq: ledgerSeqText,
              solidifiedBlock: String(position.solidifiedBlock),
              headBlock: String(headAfter.headBlock),
              balancesAtHead: String(position.headBlock),
            },
            checked: {
              addresses: addresses.length,
              finalTransfers: ledgerRead.value.finalTransfers.length,
              newFinalBlocks: chainRead.value.finalBlocks,
              depositCredits: ledgerRead.value.depositEntries.length,
            },
            findings: chainResultFindings,
            durationMs: chainRead.ms + chainCompareMs,
          },
          {
            comparison: 'provider',
            asOf: {
              ledgerSeq: ledgerSeqText,
              providerReadAt: new Date(providerRead.value.readAtMs).toISOString(),
            },
            checked: {
              cards: providerRead.value.cards.length,
              transactions: providerRead.value.transactions.length,
              loads: providerRead.value.loads.length,
            },
            findings: providerResultFindings,
            durationMs: providerRead.ms + providerCompareMs,
          },
        ];
        const findings = comparisons.flatMap((comparison) => comparison.findings);
        const asOf = {
          ledgerSeq: ledgerSeqText,
          solidifiedBlock: String(position.solidifiedBlock),
          headBlock: String(headAfter.headBlock),
          providerReadAt: new Date(providerRead.value.readAtMs).toISOString(),
        };
        const differences = countDifferences(findings);
        const timingsMs = {
          chainRead: Math.round(chainRead.ms),
          providerRead: Math.round(providerRead.ms),
          ledgerVerify: Math.round(verify.ms),
          ledgerRead: Math.round(ledgerRead.ms),
          chainCompare: Math.round(chainCompareMs),
          providerCompare: Math.round(providerCompareMs),
        };
        const summary = {
          differences,
          inFlight: findings.length - differences,
          timingsMs,
          comparisons: comparisons.map((comparison) => ({
            comparison: comparison.comparison,
            checked: comparison.checked,
            differences: countDifferences(comparison.findings),
            inFlight: comparison.findings.length - countDifferences(comparison.findings),
            durationMs: Math.round(comparison.durationMs),
          })),
        };
        await store.finishRun(runId, { asOf, summary, findings });
        return {
          runId,
          trigger: input.trigger,
          startedAt,
          asOf,
          comparisons,
          findings,
          differences,
          inFlight: findings.length - differences,
          timingsMs,
          durationMs: performance.now() - started,
        };
      } catch (error) {
        await store.failRun(runId, error instanceof Error ? error.message : String(error));
        throw error;
      }
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
