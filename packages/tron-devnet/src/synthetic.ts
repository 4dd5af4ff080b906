// Synthetic backlog for benchmarks: thousands of blocks of hundreds of transactions whose contents are generated on
// demand from the block number, so the devnet holds 20,000 busy blocks without holding millions of objects.
import { createHash } from 'node:crypto';
import { parseTronAddress, type TronAddress } from '@cardgate/tron';
import type { DevnetBlock, DevnetChain, DevnetTransaction } from './chain.ts';

export interface SyntheticLoad {
  readonly transactionsPerBlock: number;
  /** Share of transactions that are USDT transfers (the rest are plain TRX transfers with no logs). */
  readonly usdtShare: number;
  /** Share of USDT transfers that go to one of `ourAddresses`. */
  readonly ourShare: number;
  readonly ourAddresses: readonly string[];
}

const cacheBlocksMax = 512;

/**
 * An address from 20 bytes of hex whose base58 form is computed only if someone asks: the node API speaks hex, and
 * base58check encoding hundreds of addresses per block would make the devnet, not the watcher, the bottleneck.
 */
function lazyAddress(hex20: string): TronAddress {
  let base58: string | undefined;
  return {
    hex20,
    hex41: `41${hex20}`,
    get base58() {
      base58 ??= parseTronAddress(`41${hex20}`).base58;
      return base58;
    },
  };
}

export function appendSyntheticBlocks(chain: DevnetChain, count: number, load: SyntheticLoad): void {
  const ours: TronAddress[] = load.ourAddresses.map((address) => parseTronAddress(address));
  const cache = new Map<number, DevnetTransaction[]>();
  const usdtEvery = Math.max(1, Math.round(1 / load.usdtShare));
  const oursEvery = Math.max(1, Math.round(1 / load.ourShare));
  const generate = (number: number): DevnetTransaction[] => {
    const cached = cache.get(number);
    if (cached) return cached;
    const transactions: DevnetTransaction[] = [];
    // One hash per block: each transaction id is the block's digest with the index in its last 8 hex digits, and the
    // addresses are cut from it. Unique and deterministic, and cheap enough that serving blocks is what costs.
    const blockDigest = createHash('sha256').update(`synthetic:${number}`).digest('hex');
    for (let index = 0; index < load.transactionsPerBlock; index += 1) {
      const digest = blockDigest.slice(0, 56) + index.toString(16).padStart(8, '0');
      const sender = lazyAddress(digest.slice(24, 64));
      const isUsdt = index % usdtEvery === 0;
      const usdtOrdinal = number * load.transactionsPerBlock + index;
      const toOurs = isUsdt && ours.length > 0 && Math.floor(usdtOrdinal / usdtEvery) % oursEvery === 0;
      const recipient = toOurs
        ? ours[usdtOrdinal % ours.length]!
        : lazyAddress(digest.slice(0, 32) + digest.slice(56, 64));
      transactions.push({
        txID: digest,
        contract: isUsdt ? chain.usdt : sender,
        owner: sender,
        transfers: isUsdt ? [{ from: sender, to: recipient, amountMinor: 1_000_000n + BigInt(index) }] : [],
        failure: undefined,
      });
    }
    cache.set(number, transactions);
    if (cache.size > cacheBlocksMax) cache.delete(cache.keys().next().value!);
    return transactions;
  };
  for (let offset = 0; offset < count; offset += 1) {
    const parent = chain.blocks[chain.blocks.length - 1]!;
    const number = parent.number + 1;
    const blockID =
      number.toString(16).padStart(16, '0') +
      createHash('sha256').update(`block:${number}:${parent.blockID}`).digest('hex').slice(16);
    const block: DevnetBlock = {
      number,
      blockID,
      parentHash: parent.blockID,
      timestampMs: parent.timestampMs + 3_000,
      synthetic: true,
      get transactions() {
        return generate(number);
      },
    };
    chain.blocks.push(block);
  }
}

/** How many transfers to our addresses a synthetic backlog holds (for checking a benchmark's count). */
export function expectedSyntheticDeposits(count: number, firstNumber: number, load: SyntheticLoad): number {
  const usdtEvery = Math.max(1, Math.round(1 / load.usdtShare));
  const oursEvery = Math.max(1, Math.round(1 / load.ourShare));
  let total = 0;
  for (let number = firstNumber; number < firstNumber + count; number += 1)
    for (let index = 0; index < load.transactionsPerBlock; index += usdtEvery)
      if (Math.floor((number * load.transactionsPerBlock + index) / usdtEvery) % oursEvery === 0) total += 1;
  return total;
}
