// The watcher's ChainSource over a TRON full node's HTTP API (the devnet or a real node; the code cannot tell).
// Headers come from getblockbylimitnext in runs of at most 100; transfers from gettransactioninfobyblocknum, only
// for blocks that have transactions, a bounded number of blocks at a time.
import {
  blockNumberOf,
  decodeTransfers,
  parseTronAddress,
  type NodeBlock,
  type TronNodeClient,
} from '@cardgate/tron';
import type { BlockHeader, ChainBlock, ChainSource } from './chain-source.ts';

export interface TronChainSourceOptions {
  readonly name: string;
  readonly client: TronNodeClient;
  /** Base58 address of the USDT contract; logs of any other contract are ignored. */
  readonly tokenContract: string;
  /** Blocks whose transaction info is fetched at once. */
  readonly infoConcurrencyMax: number;
}

function headerOf(block: NodeBlock): BlockHeader {
  return {
    number: blockNumberOf(block),
    hash: block.blockID,
    parentHash: block.block_header.raw_data.parentHash,
    timestampMs: BigInt(block.block_header.raw_data.timestamp),
  };
}

export function createTronChainSource(options: TronChainSourceOptions): ChainSource {
  const { client } = options;
  const token = parseTronAddress(options.tokenContract);

  async function withTransfers(block: NodeBlock): Promise<ChainBlock> {
    const header = headerOf(block);
    if (!block.transactions || block.transactions.length === 0) return { ...header, transfers: [] };
    const infos = await client.transactionInfoByBlock(header.number);
    return { ...header, transfers: infos.flatMap((info) => decodeTransfers(info, token)) };
  }

  return {
    name: options.name,
    head: async () => headerOf(await client.nowBlock()),
    solidifiedBlockNumber: async () => blockNumberOf(await client.solidifiedNowBlock()),
    header: async (number) => {
      const block = await client.blockByNumber(number);
      return block ? headerOf(block) : undefined;
    },
    async blocks(fromInclusive, toExclusive) {
      const nodeBlocks: NodeBlock[] = [];
      for (let start = fromInclusive; start < toExclusive; start += 100) {
        const run = await client.blocksByRange(start, Math.min(toExclusive, start + 100));
        nodeBlocks.push(...run);
        if (run.length < Math.min(100, toExclusive - start)) break; // the node has no more yet
      }
      const result: ChainBlock[] = new Array<ChainBlock>(nodeBlocks.length);
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < nodeBlocks.length) {
          const index = next++;
          result[index] = await withTransfers(nodeBlocks[index]!);
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(options.infoConcurrencyMax, nodeBlocks.length) }, lane),
      );
      return result;
    },
  };
}
