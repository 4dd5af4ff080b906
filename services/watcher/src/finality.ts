// When a deposit counts as final. On mainnet only at or below the solidified block (irreversible: 19 of 27 super
// representatives have built on it). A devnet may instead use a fixed confirmation count.

export type FinalityRule =
  { readonly kind: 'solidified' } | { readonly kind: 'confirmations'; readonly blocks: number };

/** The highest block number whose deposits are final, given the node's head and solidified block. */
export function finalBlockNumber(rule: FinalityRule, headNumber: number, solidifiedNumber: number): number {
  switch (rule.kind) {
    case 'solidified':
      return solidifiedNumber;
    case 'confirmations':
      // Never more permissive than the node's own solidified view.
      return Math.max(solidifiedNumber, headNumber - rule.blocks);
  }
}
