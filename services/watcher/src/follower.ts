// Follows the chain from the checkpoint in PostgreSQL, in bounded batches: records deposits to our addresses,
// detects reorgs by the parent-hash chain and forgets what orphaned blocks showed, and marks deposits final once
// their block is final. Every change goes through the deposit store, which writes the outbox in the same transaction.
import type { AddressBook } from './address-book.ts';
import type { ChainBlock, ChainSource } from './chain-source.ts';
import { checkLinkage } from './chain-linkage.ts';
import type { CursorPosition, DepositObservation, DepositStore } from '@cardgate/deposit-store';
import { finalBlockNumber, type FinalityRule } from './finality.ts';

export interface FollowerOptions {
  readonly source: ChainSource;
  readonly store: DepositStore;
  readonly addressBook: AddressBook;
  readonly finality: FinalityRule;
  /** Where to start when there is no checkpoint yet. */
  readonly startBlockNumber: number;
  /** Upper bound on blocks read per step. */
  readonly batchBlocksMax: number;
  /** Deepest reorg the watcher repairs by itself; deeper ones stop it for an operator. */
  readonly reorgDepthMax: number;
  /** Stored block hashes kept below the final block, for reorg detection. */
  readonly keepBlocksBelowFinal: number;
}

export interface StepResult {
  readonly headNumber: number;
  readonly solidifiedNumber: number;
  readonly cursorNumber: number;
  readonly blocksApplied: number;
  readonly depositsSeen: number;
  readonly depositsFinalized: number;
  readonly depositsOrphaned: number;
  readonly caughtUp: boolean;
}

export class ReorgTooDeepError extends Error {
  constructor(cursorNumber: number, depthMax: number) {
    super(
      `no common ancestor within ${depthMax} blocks below ${cursorNumber}: an operator must look at the node`,
    );
    this.name = 'ReorgTooDeepError';
  }
}

/** The transfers in `blocks` that pay one of our deposit addresses, with their block's identity. */
export function depositsToOurAddresses(
  blocks: readonly ChainBlock[],
  addressBook: AddressBook,
): DepositObservation[] {
  const deposits: DepositObservation[] = [];
  for (const block of blocks)
    for (const transfer of block.transfers)
      if (addressBook.pays(transfer))
        deposits.push({
          ...transfer,
          blockNumber: block.number,
          blockHash: block.hash,
          blockTimestampMs: block.timestampMs,
        });
  return deposits;
}

export function createFollower(options: FollowerOptions) {
  const { source, store, addressBook } = options;

  async function ensureCursor(): Promise<CursorPosition> {
    const cursor = await store.loadCursor();
    if (cursor) return cursor;
    const startNumber = Math.max(options.startBlockNumber - 1, 0);
    const header = await source.header(startNumber);
    if (!header) throw new Error(`the node has no block ${startNumber} to start from`);
    await store.applyBlocks(undefined, [header], []);
    return { number: header.number, hash: header.hash };
  }

  async function findCommonAncestor(cursor: CursorPosition): Promise<CursorPosition> {
    const lowest = Math.max(cursor.number - options.reorgDepthMax, 0);
    for (let number = cursor.number - 1; number >= lowest; number -= 1) {
      const [stored, onNode] = await Promise.all([store.storedBlock(number), source.header(number)]);
      if (stored && onNode && stored.hash === onNode.hash) return { number, hash: stored.hash };
    }
    throw new ReorgTooDeepError(cursor.number, options.reorgDepthMax);
  }

  // While a batch is being written, the next one is already read from the node: catching up alternates between
  // waiting for the node and waiting for PostgreSQL, and overlapping the two keeps both busy. At most one batch is
  // read ahead. It is used only if it starts right after the cursor the write produced; its blocks go through the
  // same parent-hash check as any others, so a reorg meanwhile is caught as usual. It keeps the final line known
  // when it was read: only blocks at or below that line were irreversible when read (see `step`).
  let readAhead:
    | { readonly fromInclusive: number; readonly finalLine: number; readonly blocks: Promise<ChainBlock[]> }
    | undefined;

  function readBlocks(fromInclusive: number, toExclusive: number, finalLine: number) {
    const ahead = readAhead;
    readAhead = undefined;
    if (ahead?.fromInclusive === fromInclusive) return ahead;
    return { fromInclusive, finalLine, blocks: source.blocks(fromInclusive, toExclusive, finalLine) };
  }

  function startReadAhead(fromInclusive: number, headNumber: number, finalLine: number): void {
    if (fromInclusive > headNumber) return;
    const toExclusive = Math.min(headNumber, fromInclusive - 1 + options.batchBlocksMax) + 1;
    const blocks = source.blocks(fromInclusive, toExclusive, finalLine);
    // Its failure surfaces when it is used; unused, it is dropped quietly.
    blocks.catch(() => undefined);
    readAhead = { fromInclusive, finalLine, blocks };
  }

  async function repairReorg(cursor: CursorPosition): Promise<{ cursor: CursorPosition; orphaned: number }> {
    const ancestor = await findCommonAncestor(cursor);
    return { cursor: ancestor, orphaned: await store.rewind(cursor, ancestor) };
  }

  return {
    /**
     * One step: read the next batch of blocks, record it, and make final what can be vouched for. A deposit is made
     * final only below a final line that was known *before* the node read which showed its block still on the
     * chain: blocks read under that line were irreversible when read, and the stored chain up to the cursor is
     * canonical once a later read links to it. Hence the solidified head is read before the head, a batch read
     * ahead carries its own line, and a step that read nothing checks the head's hash against the cursor's.
     */
    async step(): Promise<StepResult> {
      let cursor = await ensureCursor();
      const solidifiedNumber = await source.solidifiedBlockNumber();
      const head = await source.head();
      const currentFinalLine = finalBlockNumber(options.finality, head.number, solidifiedNumber);
      /** The final line this step's node reads vouch for; -1 until one does. */
      let vouchedFinalLine = -1;
      let blocksApplied = 0;
      let depositsSeen = 0;
      let depositsOrphaned = 0;
      if (cursor.number < head.number) {
        const toExclusive = Math.min(head.number, cursor.number + options.batchBlocksMax) + 1;
        await addressBook.refresh();
        const read = readBlocks(cursor.number + 1, toExclusive, currentFinalLine);
        const blocks = await read.blocks;
        const finalLine = Math.min(currentFinalLine, read.finalLine);
        const linkage = checkLinkage({ ...cursor, parentHash: '', timestampMs: 0n }, blocks);
        if (linkage.kind === 'reorg') {
          ({ cursor, orphaned: depositsOrphaned } = await repairReorg(cursor));
        } else if (linkage.blocks > 0) {
          const linked = blocks.slice(0, linkage.blocks);
          if (linkage.blocks === blocks.length)
            startReadAhead(linked[linked.length - 1]!.number + 1, head.number, currentFinalLine);
          depositsSeen = await store.applyBlocks(
            cursor,
            linked,
            depositsToOurAddresses(linked, addressBook),
            finalLine,
          );
          const last = linked[linked.length - 1]!;
          cursor = { number: last.number, hash: last.hash };
          blocksApplied = linked.length;
          vouchedFinalLine = finalLine;
        }
      } else if (cursor.number === head.number) {
        // Nothing to read: the head itself, read after the final line, says whether the stored chain still holds.
        if (cursor.hash === head.hash) vouchedFinalLine = currentFinalLine;
        else ({ cursor, orphaned: depositsOrphaned } = await repairReorg(cursor));
      }
      // A node behind the cursor vouches for nothing: finality waits for a node that has caught up.
      const finalNumber = Math.min(vouchedFinalLine, cursor.number);
      const depositsFinalized = finalNumber >= 0 ? await store.finalize(finalNumber) : 0;
      if (blocksApplied > 0) await store.pruneBlocks(finalNumber - options.keepBlocksBelowFinal);
      return {
        headNumber: head.number,
        solidifiedNumber,
        cursorNumber: cursor.number,
        blocksApplied,
        depositsSeen,
        depositsFinalized,
        depositsOrphaned,
        caughtUp: cursor.number >= head.number,
      };
    },
  };
}

export type Follower = ReturnType<typeof createFollower>;
