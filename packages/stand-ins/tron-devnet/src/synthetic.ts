// Synthetic backlog for benchmarks: thousands of blocks of hundreds of transactions whose contents are generated on
// demand from the block number, so the devnet holds 20,000 busy blocks without holding millions of objects.
import { createHash } from 'node:crypto';
import { parseTronAddress, transferTopic, type TronAddress } from '@cardgate/tron';
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

const wordPadding = '0'.repeat(24);

export function appendSyntheticBlocks(chain: DevnetChain, count: number, load: SyntheticLoad): void {
  const ours: TronAddress[] = load.ourAddresses.map((address) => parseTronAddress(address));
  const cache = new Map<number, DevnetTransaction[]>();
  const usdtEvery = Math.max(1, Math.round(1 / load.usdtShare));
  const oursEvery = Math.max(1, Math.round(1 / load.ourShare));
  const usdtHex20 = chain.usdt.hex20;
  const usdtHex41 = chain.usdt.hex41;

  // The block's recipe, shared by both renderings below. One hash per block: each transaction id is the block's
  // digest with the index in its last 8 hex digits, and the addresses are cut from it. Unique and deterministic.
  const blockDigestOf = (number: number): string =>
    createHash('sha256').update(`synthetic:${number}`).digest('hex');
  const txIdOf = (blockDigest: string, index: number): string =>
    blockDigest.slice(0, 56) + index.toString(16).padStart(8, '0');
  const isUsdtAt = (index: number): boolean => index % usdtEvery === 0;
  /** Our address this USDT transaction pays, if any. */
  const ourRecipientAt = (number: number, index: number): TronAddress | undefined => {
    if (ours.length === 0) return undefined;
    const usdtOrdinal = number * load.transactionsPerBlock + index;
    return Math.floor(usdtOrdinal / usdtEvery) % oursEvery === 0
      ? ours[usdtOrdinal % ours.length]
      : undefined;
  };
  const senderHex20Of = (txId: string): string => txId.slice(24, 64);
  const strangerHex20Of = (txId: string): string => txId.slice(0, 32) + txId.slice(56, 64);
  const amountOf = (index: number): bigint => 1_000_000n + BigInt(index);

  const generate = (number: number): DevnetTransaction[] => {
    const cached = cache.get(number);
    if (cached) return cached;
    const transactions: DevnetTransaction[] = [];
    const blockDigest = blockDigestOf(number);
    for (let index = 0; index < load.transactionsPerBlock; index += 1) {
      const txId = txIdOf(blockDigest, index);
      const sender = lazyAddress(senderHex20Of(txId));
      const isUsdt = isUsdtAt(index);
      const recipient = (isUsdt && ourRecipientAt(number, index)) || lazyAddress(strangerHex20Of(txId));
      transactions.push({
        txID: txId,
        contract: isUsdt ? chain.usdt : sender,
        owner: sender,
        transfers: isUsdt ? [{ from: sender, to: recipient, amountMinor: amountOf(index) }] : [],
        failure: undefined,
      });
    }
    cache.set(number, transactions);
    if (cache.size > cacheBlocksMax) cache.delete(cache.keys().next().value!);
    return transactions;
  };

  // The transaction-info list written straight from the recipe: a benchmark reads every synthetic block once, and
  // building 200 transaction objects first would make the devnet, not the watcher, what it measures. The same text
  // as DevnetChain.transactionInfoListText of `generate` (a test compares them).
  const transactionInfoListText = (number: number, timestampMs: number): string => {
    const blockDigest = blockDigestOf(number);
    const common = `"blockNumber":${number},"blockTimeStamp":${timestampMs},"contractResult":[""]`;
    let text = '[';
    for (let index = 0; index < load.transactionsPerBlock; index += 1) {
      if (index > 0) text += ',';
      const txId = txIdOf(blockDigest, index);
      if (!isUsdtAt(index)) {
        text += `{"id":"${txId}",${common},"receipt":{"net_usage":267}}`;
        continue;
      }
      const recipientHex20 = ourRecipientAt(number, index)?.hex20 ?? strangerHex20Of(txId);
      const data = amountOf(index).toString(16).padStart(64, '0');
      text +=
        `{"id":"${txId}","fee":345000,${common},"contract_address":"${usdtHex41}",` +
        `"receipt":{"energy_usage_total":64285,"net_usage":345,"result":"SUCCESS"},` +
        `"log":[{"address":"${usdtHex20}","topics":["${transferTopic}","${wordPadding}${senderHex20Of(txId)}",` +
        `"${wordPadding}${recipientHex20}"],"data":"${data}"}]}`;
    }
    return `${text}]`;
  };

  for (let offset = 0; offset < count; offset += 1) {
    const parent = chain.blocks[chain.blocks.length - 1]!;
    const number = parent.number + 1;
    const timestampMs = parent.timestampMs + 3_000;
    const blockID =
      number.toString(16).padStart(16, '0') +
      createHash('sha256').update(`block:${number}:${parent.blockID}`).digest('hex').slice(16);
    const block: DevnetBlock = {
      number,
      blockID,
      parentHash: parent.blockID,
      timestampMs,
      synthetic: true,
      get transactions() {
        return generate(number);
      },
      transactionInfoListText: () => transactionInfoListText(number, timestampMs),
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
