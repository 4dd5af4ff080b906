// USDT (TRC-20) deposits are read from `Transfer(address,address,uint256)` logs in transaction info, never from call
// data: one transaction can emit several transfers, and a failed one (OUT_OF_ENERGY, REVERT) has no log at all. Only
// logs emitted by the configured token contract count; look-alike tokens with the same name are ignored.
import { addressFromTopic, parseTronAddress, type TronAddress } from './address.ts';

export const transferTopic = 'ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

export interface TransactionInfoLog {
  readonly address?: string;
  readonly topics?: readonly string[];
  readonly data?: string;
}

export interface TransactionInfo {
  readonly id: string;
  readonly blockNumber?: number;
  readonly blockTimeStamp?: number;
  readonly result?: string;
  readonly receipt?: { readonly result?: string };
  readonly log?: readonly TransactionInfoLog[];
}

export interface DecodedTransfer {
  readonly txId: string;
  readonly logIndex: number;
  readonly from: string;
  readonly to: string;
  readonly amountMinor: bigint;
}

/** Whether the transaction succeeded: no top-level FAILED and, for contract calls, receipt SUCCESS. */
export function isSuccessful(info: TransactionInfo): boolean {
  if (info.result === 'FAILED') return false;
  return info.receipt?.result === undefined || info.receipt.result === 'SUCCESS';
}

export function decodeTransfers(info: TransactionInfo, tokenContract: TronAddress): DecodedTransfer[] {
  if (!isSuccessful(info) || !info.log) return [];
  const transfers: DecodedTransfer[] = [];
  info.log.forEach((log, logIndex) => {
    const topics = log.topics ?? [];
    if (topics.length !== 3 || topics[0]?.toLowerCase() !== transferTopic) return;
    let emitter: TronAddress;
    try {
      emitter = parseTronAddress(log.address ?? '');
    } catch {
      return;
    }
    if (emitter.hex20 !== tokenContract.hex20) return;
    const data = (log.data ?? '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(data)) return;
    const amountMinor = BigInt(`0x${data}`);
    if (amountMinor === 0n) return;
    transfers.push({
      txId: info.id.toLowerCase(),
      logIndex,
      from: addressFromTopic(topics[1]!).base58,
      to: addressFromTopic(topics[2]!).base58,
      amountMinor,
    });
  });
  return transfers;
}
