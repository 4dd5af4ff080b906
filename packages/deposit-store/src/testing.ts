// For the deposit store's, the outbox dispatcher's and the deposit reads' tests: blocks and deposit observations with valid-looking ids
// (tx ids and hashes of 64 lower-case hex characters, as the deposit table's checks require), on a chain of the
// test's own, so tests sharing one database never see each other's cursor or rows.
import { randomBytes } from 'node:crypto';
import type { BlockHeader, DepositObservation, WatchedToken } from './deposit-store.ts';

export const hex64 = (): string => randomBytes(32).toString('hex');

export function testToken(): WatchedToken {
  return {
    chain: `tron-${randomBytes(5).toString('hex')}`,
    contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    asset: 'USDT',
  };
}

/** A run of linked blocks starting at `first`, the first one's parent being `parentHash`. */
export function blocks(first: number, count: number, parentHash = hex64()): BlockHeader[] {
  const run: BlockHeader[] = [];
  let parent = parentHash;
  for (let number = first; number < first + count; number += 1) {
    const hash = hex64();
    run.push({ number, hash, parentHash: parent, timestampMs: 1_790_000_000_000n + BigInt(number) * 3_000n });
    parent = hash;
  }
  return run;
}

export function observation(block: BlockHeader, amountMinor: bigint, txId = hex64()): DepositObservation {
  return {
    txId,
    logIndex: 0,
    from: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
    to: 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE',
    amountMinor,
    blockNumber: block.number,
    blockHash: block.hash,
    blockTimestampMs: block.timestampMs,
  };
}

export const tip = (run: readonly BlockHeader[]) => {
  const last = run[run.length - 1]!;
  return { number: last.number, hash: last.hash };
};
