// `rescan FROM TO`: re-reads a range of blocks the watcher has already passed and records any deposit to our addresses
// it finds that is not recorded yet (for example to an address that was added to the book late, or after a node
// dropped results). Idempotent: a second rescan of the same range records nothing. The cursor does not move.
import type { AddressBook } from './address-book.ts';
import type { ChainSource } from './chain-source.ts';
import type { DepositStore } from '@cardgate/deposit-store';
import { finalBlockNumber, type FinalityRule } from './finality.ts';
import { depositsToOurAddresses } from './follower.ts';

export interface RescanOptions {
  readonly source: ChainSource;
  readonly store: DepositStore;
  readonly addressBook: AddressBook;
  readonly finality: FinalityRule;
  readonly fromInclusive: number;
  readonly toInclusive: number;
  readonly batchBlocksMax: number;
}

export interface RescanResult {
  readonly blocksRead: number;
  readonly depositsRecorded: number;
}

export async function rescan(options: RescanOptions): Promise<RescanResult> {
  const { source, store, addressBook } = options;
  if (
    !Number.isSafeInteger(options.fromInclusive) ||
    options.fromInclusive < 0 ||
    options.toInclusive < options.fromInclusive
  )
    throw new RangeError(
      `rescan needs 0 <= FROM <= TO, got ${options.fromInclusive}..${options.toInclusive}`,
    );
  const cursor = await store.loadCursor();
  if (!cursor) throw new Error('the watcher has no checkpoint yet: there is nothing to rescan');
  if (options.toInclusive > cursor.number)
    throw new RangeError(`rescan covers blocks the watcher has passed; TO must be at most ${cursor.number}`);
  await addressBook.refresh();
  const head = await source.head();
  const finalLine = finalBlockNumber(options.finality, head.number, await source.solidifiedBlockNumber());
  let blocksRead = 0;
  let depositsRecorded = 0;
  for (let start = options.fromInclusive; start <= options.toInclusive; start += options.batchBlocksMax) {
    const end = Math.min(options.toInclusive + 1, start + options.batchBlocksMax);
    const blocks = await source.blocks(start, end, finalLine);
    if (blocks.length !== end - start)
      throw new Error(`the node returned ${blocks.length} of blocks ${start}..${end - 1}`);
    blocksRead += blocks.length;
    depositsRecorded += await store.recordRescan(
      blocks,
      depositsToOurAddresses(blocks, addressBook),
      finalLine,
    );
  }
  return { blocksRead, depositsRecorded };
}
