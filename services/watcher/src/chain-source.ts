// What the watcher needs from a TRON node, and nothing more. The adapter over the full-node HTTP API implements it
// for the devnet and for a real node alike; the watcher never knows which one it talks to.

export interface BlockHeader {
  readonly number: number;
  /** 64 hex characters, lower case. */
  readonly hash: string;
  readonly parentHash: string;
  readonly timestampMs: bigint;
}

/** A successful transfer of the watched token, decoded from a `Transfer` log (never from call data). */
export interface TokenTransfer {
  readonly txId: string;
  /** Index of the log within its transaction; with txId, the deposit's identity. */
  readonly logIndex: number;
  /** Base58 addresses. */
  readonly from: string;
  readonly to: string;
  /** The recipient's 20-byte id in hex, when the source decoded it from a log: matched without base58 encoding. */
  readonly toHex20?: string;
  readonly amountMinor: bigint;
}

export interface ChainBlock extends BlockHeader {
  /** Successful transfers of the configured token contract only; failed transactions and other contracts excluded. */
  readonly transfers: readonly TokenTransfer[];
}

export interface ChainSource {
  readonly name: string;
  head(): Promise<BlockHeader>;
  solidifiedBlockNumber(): Promise<number>;
  /** The block at `number`, or undefined if the node does not have it (yet). */
  header(number: number): Promise<BlockHeader | undefined>;
  /**
   * Blocks [fromInclusive, toExclusive) in order; fewer if the node has fewer. Blocks at or below
   * `irreversibleThrough` cannot change any more; for those above it the source makes sure each block's transfers
   * belong to the very block whose hash it returns (a reorg may land between two reads of one block).
   */
  blocks(fromInclusive: number, toExclusive: number, irreversibleThrough: number): Promise<ChainBlock[]>;
}
