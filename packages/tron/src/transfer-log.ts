// USDT (TRC-20) deposits are read from `Transfer(address,address,uint256)` logs in transaction info, never from call
// data: one transaction can emit several transfers, and a failed one (OUT_OF_ENERGY, REVERT) has no log at all. Only
// logs emitted by the configured token contract count; look-alike tokens with the same name are ignored.
import { hex20FromTopic, parseTronAddress, type TronAddress } from './address.ts';

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

const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether `value` has the shape of one transaction info in the fields this module reads (other fields are left as
 * they are). Written out by hand rather than with zod: a busy block carries hundreds of these, and during catch-up
 * the schema check cost more than decoding (measured: a tenth of the watcher's time).
 */
export function isTransactionInfo(value: unknown): value is TransactionInfo {
  if (!isObject(value) || typeof value.id !== 'string') return false;
  if (value.blockNumber !== undefined && typeof value.blockNumber !== 'number') return false;
  if (value.blockTimeStamp !== undefined && typeof value.blockTimeStamp !== 'number') return false;
  if (!isOptionalString(value.result)) return false;
  const receipt = value.receipt;
  if (receipt !== undefined && (!isObject(receipt) || !isOptionalString(receipt.result))) return false;
  const logs = value.log;
  if (logs === undefined) return true;
  if (!Array.isArray(logs)) return false;
  for (const log of logs) {
    if (!isObject(log) || !isOptionalString(log.address) || !isOptionalString(log.data)) return false;
    const topics = log.topics;
    if (topics === undefined) continue;
    if (!Array.isArray(topics)) return false;
    for (const topic of topics) if (typeof topic !== 'string') return false;
  }
  return true;
}

/** Whether the transaction succeeded: no top-level FAILED and, for contract calls, receipt SUCCESS. */
export function isSuccessful(info: TransactionInfo): boolean {
  if (info.result === 'FAILED') return false;
  return info.receipt?.result === undefined || info.receipt.result === 'SUCCESS';
}

const hex40 = /^[0-9a-f]{40}$/;
const hex64 = /^[0-9a-fA-F]{64}$/;

/** The emitting contract's 20-byte id from `log.address` (20-byte hex, or 21 with the 41 byte); '' if malformed. */
function emitterHex20(address: string | undefined): string {
  if (address === undefined) return '';
  if (address.length === 40 && hex40.test(address)) return address;
  const hex = address.toLowerCase();
  if (hex.length === 40 && hex40.test(hex)) return hex;
  if (hex.length === 42 && hex.startsWith('41') && hex40.test(hex.slice(2))) return hex.slice(2);
  try {
    return parseTronAddress(address).hex20;
  } catch {
    return '';
  }
}

/** Base58 of a 20-byte id, computed once and only when asked: most transfers are never shown to anyone. */
function lazyBase58(hex20: string): () => string {
  let base58: string | undefined;
  return () => (base58 ??= parseTronAddress(hex20).base58);
}

export function decodeTransfers(info: TransactionInfo, tokenContract: TronAddress): DecodedTransfer[] {
  if (!isSuccessful(info) || !info.log) return [];
  const transfers: DecodedTransfer[] = [];
  const logs = info.log;
  for (let logIndex = 0; logIndex < logs.length; logIndex += 1) {
    const log = logs[logIndex]!;
    const topics = log.topics;
    if (!topics || topics.length !== 3) continue;
    if (topics[0] !== transferTopic && topics[0]!.toLowerCase() !== transferTopic) continue;
    if (emitterHex20(log.address) !== tokenContract.hex20) continue;
    const data = log.data ?? '';
    if (!hex64.test(data)) continue;
    const amountMinor = BigInt(`0x${data}`);
    if (amountMinor === 0n) continue;
    // The token's own Transfer log with a topic that is not an address: the answer is broken, not the transfer.
    // Refusing it loudly (the watcher retries, or moves to another node) beats skipping a deposit quietly.
    const fromHex20 = hex20FromTopic(topics[1]!);
    const toHex20 = hex20FromTopic(topics[2]!);
    const from = lazyBase58(fromHex20);
    const to = lazyBase58(toHex20);
    transfers.push({
      txId: info.id.toLowerCase(),
      logIndex,
      get from() {
        return from();
      },
      get to() {
        return to();
      },
      fromHex20,
      toHex20,
      amountMinor,
    });
  }
  return transfers;
}
