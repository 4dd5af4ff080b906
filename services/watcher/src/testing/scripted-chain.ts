// A chain held in memory for the watcher's own logic tests (linkage, reorg repair, finality bookkeeping). The
// HTTP devnet covers the node adapter; this isolates the watcher's decisions from node behaviour.
import { createHash } from 'node:crypto';
import type { BlockHeader, ChainBlock, ChainSource, TokenTransfer } from '../chain-source.ts';

export class ScriptedChain implements ChainSource {
  readonly name: string;
  readonly chain: ChainBlock[] = [];
  solidityLagBlocks: number;
  #fork = 0;

  constructor(solidityLagBlocks: number, name = 'scripted') {
    this.name = name;
    this.solidityLagBlocks = solidityLagBlocks;
    this.chain.push(this.#make(0, '0'.repeat(64), []));
  }

  #make(number: number, parentHash: string, transfers: readonly TokenTransfer[]): ChainBlock {
    const hash = createHash('sha256')
      .update(`${number}:${parentHash}:${this.#fork}:${transfers.length}`)
      .digest('hex');
    return { number, hash, parentHash, timestampMs: BigInt(1_700_000_000_000 + number * 3_000), transfers };
  }

  get headBlock(): ChainBlock {
    return this.chain[this.chain.length - 1]!;
  }

  produce(transfers: readonly TokenTransfer[] = []): ChainBlock {
    const block = this.#make(this.headBlock.number + 1, this.headBlock.hash, transfers);
    this.chain.push(block);
    return block;
  }

  produceMany(count: number): void {
    for (let index = 0; index < count; index += 1) this.produce();
  }

  /** Replaces the top `depth` blocks with a new branch of `depth + 1` blocks; `transfersAt` fills the new ones. */
  reorg(depth: number, transfersAt: (offset: number) => readonly TokenTransfer[] = () => []): void {
    this.#fork += 1;
    this.chain.splice(this.chain.length - depth, depth);
    for (let offset = 0; offset <= depth; offset += 1) this.produce(transfersAt(offset));
  }

  async head(): Promise<BlockHeader> {
    return this.headBlock;
  }

  async solidifiedBlockNumber(): Promise<number> {
    return Math.max(this.headBlock.number - this.solidityLagBlocks, 0);
  }

  async header(number: number): Promise<BlockHeader | undefined> {
    return this.chain[number];
  }

  async blocks(fromInclusive: number, toExclusive: number): Promise<ChainBlock[]> {
    return this.chain.slice(fromInclusive, toExclusive);
  }
}
