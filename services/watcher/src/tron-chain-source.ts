// The watcher's ChainSource over a TRON full node's HTTP API (the devnet or a real node; the code cannot tell).
// Headers come from wallet/getblock without transaction bodies; transfers from gettransactioninfobyblocknum, for every
// block (a header alone cannot tell an empty block from a busy one), a bounded number of blocks at a time.
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

  /** A block that cannot change any more: its header and its transaction info, read at the same time. */
  async function readIrreversible(number: number) {
    const [block, infos] = await Promise.all([
      client.blockHeader(number),
      client.transactionInfoByBlock(number),
    ]);
    return block ? { block, infos } : undefined;
  }

  /**
   * A block a reorg may still replace. Transaction info carries no block hash, so the info is read between two
   * reads of the header: if the hash is the same before and after, the transfers belong to that block. If the block
   * changed meanwhile, the run stops here and the next step reads it afresh.
   */
  async function readRecent(number: number) {
    const before = await client.blockHeader(number);
    if (!before) return undefined;
    const infos = await client.transactionInfoByBlock(number);
    const after = await client.blockHeader(number);
    return after?.blockID === before.blockID ? { block: before, infos } : undefined;
  }

  return {
    name: options.name,
    head: async () => headerOf(await client.latestHeader()),
    solidifiedBlockNumber: async () => blockNumberOf(await client.latestSolidifiedHeader()),
    header: async (number) => {
      const block = await client.blockByNumber(number);
      return block ? headerOf(block) : undefined;
    },
    // Headers come one block at a time from wallet/getblock without transaction bodies (a fraction of the bytes of
    // getblockbylimitnext, which sends every transaction in full); the transfers come from the block's transaction
    // info. A bounded number of blocks at a time; the run stops at the first block the node does not have yet, or
    // that changed while it was read.
    async blocks(fromInclusive, toExclusive, irreversibleThrough) {
      const count = Math.max(0, toExclusive - fromInclusive);
      const result: (ChainBlock | undefined)[] = new Array<ChainBlock | undefined>(count);
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < count) {
          const index = next++;
          const number = fromInclusive + index;
          const read = await (number > irreversibleThrough ? readRecent(number) : readIrreversible(number));
          if (!read) {
            result[index] = undefined;
            continue;
          }
          const { block, infos } = read;
          const header = headerOf(block);
          if (infos.some((info) => info.blockNumber !== undefined && info.blockNumber !== header.number))
            throw new Error(`${options.name}: transaction info of block ${number} names another block`);
          result[index] = {
            ...header,
            transfers: infos.flatMap((info) => decodeTransfers(info, token)),
          };
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.infoConcurrencyMax, count) }, lane));
      const available = result.findIndex((block) => block === undefined);
      return (available === -1 ? result : result.slice(0, available)) as ChainBlock[];
    },
  };
}
