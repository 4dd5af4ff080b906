// Pure checks on how a freshly fetched run of blocks attaches to what the watcher already holds.
import type { BlockHeader } from './chain-source.ts';

export type Linkage = { readonly kind: 'extends'; readonly blocks: number } | { readonly kind: 'reorg' };

/**
 * Whether `blocks` continue the chain after `cursor`. The run is cut at the first block that does not link to its
 * predecessor (the node switched branches while we were reading); a first block that does not link to the cursor
 * means the cursor's block was orphaned.
 */
export function checkLinkage(cursor: BlockHeader, blocks: readonly BlockHeader[]): Linkage {
  let previous = cursor;
  let linked = 0;
  for (const block of blocks) {
    if (block.number !== previous.number + 1 || block.parentHash !== previous.hash) break;
    previous = block;
    linked += 1;
  }
  if (linked === 0 && blocks.length > 0) return { kind: 'reorg' };
  return { kind: 'extends', blocks: linked };
}
