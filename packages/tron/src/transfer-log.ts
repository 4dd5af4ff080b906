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
  /** Base58, computed when first read. */
  readonly from: string;
  readonly to: string;
  /** The 20-byte account ids in hex, what the log carries: matching by these costs no base58 encoding. */
  readonly fromHex20: string;
  readonly toHex20: string;
  readonly amountMinor: bigint;
}

/** Whether the transaction succeeded: no top-level FAILED and, for contract calls, receipt SUCCESS. */
export function isSuccessful(info: TransactionInfo): boolean {
  if (info.result === 'FAILED') return false;
  return info.receipt?.result === undefined || info.receipt.result === 'SUCCESS';
}

/** The emitting contract's 20-byte id from `log.address` (20-byte hex, or 21 with the 41 byte); '' if malformed. */
function emitterHex20(address: string | undefined): string {
  const hex = (address ?? '').toLowerCase();
  if (/^[0-9a-f]{40}$/.test(hex)) return hex;
  if (/^41[0-9a-f]{40}$/.test(hex)) return hex.slice(2);
  try {
    return parseTronAddress(address ?? '').hex20;
  } catch {
    return '';
  }
}

export function decodeTransfers(info: TransactionInfo, tokenContract: TronAddress): DecodedTransfer[] {
  if (!isSuccessful(info) || !info.log) return [];
  const transfers: DecodedTransfer[] = [];
  info.log.forEach((log, logIndex) => {
    const topics = log.topics ?? [];
    if (topics.length !== 3 || topics[0]?.toLowerCase() !== transferTopic) return;
    if (emitterHex20(log.address) !== tokenContract.hex20) return;
    const data = (log.data ?? '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(data)) return;
    const amountMinor = BigInt(`0x${data}`);
    if (amountMinor === 0n) return;
    const from = addressFromTopic(topics[1]!);
    const to = addressFromTopic(topics[2]!);
    transfers.push({
      txId: info.id.toLowerCase(),
      logIndex,
      get from() {
        return from.base58;
      },
      get to() {
        return to.base58;
      },
      fromHex20: from.hex20,
      toHex20: to.hex20,
      amountMinor,
    });
  });
  return transfers;
}
