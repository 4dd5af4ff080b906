// The devnet's write path for clients such as tronweb: contract-call transactions built with TRON's exact protobuf
// encoding (so txID = sha256(raw_data_hex) and tronweb's own check and rebuild agree), and signed broadcasts verified
// by recovering the signer from the signature over the txID.
import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { utils } from 'tronweb';
import { addressFromPublicKey, addressToWord, parseTronAddress, type TronAddress } from '@cardgate/tron';

export const transferSelector = 'a9059cbb';
const selectorBySignature: Readonly<Record<string, string>> = {
  'transfer(address,uint256)': transferSelector,
  'balanceOf(address)': '70a08231',
  'decimals()': '313ce567',
};

export function selectorOf(functionSelector: string): string | undefined {
  const known = selectorBySignature[functionSelector.replace(/\s/g, '')];
  if (known) return known;
  return Buffer.from(keccak_256(new TextEncoder().encode(functionSelector)))
    .toString('hex')
    .slice(0, 8);
}

export interface TriggerRequest {
  readonly owner: TronAddress;
  readonly contract: TronAddress;
  readonly data: string;
  readonly feeLimit: number;
  readonly refBlockNumber: number;
  readonly refBlockId: string;
  readonly nowMs: number;
}

interface TransactionJson {
  visible: boolean;
  txID: string;
  raw_data: Record<string, unknown>;
  raw_data_hex: string;
  signature?: string[];
}

/** Builds an unsigned TriggerSmartContract transaction the way a full node does. */
export function buildTriggerTransaction(request: TriggerRequest): TransactionJson {
  const rawData = {
    contract: [
      {
        parameter: {
          value: {
            data: request.data,
            owner_address: request.owner.hex41,
            contract_address: request.contract.hex41,
          },
          type_url: 'type.googleapis.com/protocol.TriggerSmartContract',
        },
        type: 'TriggerSmartContract',
      },
    ],
    ref_block_bytes: (request.refBlockNumber & 0xffff).toString(16).padStart(4, '0'),
    ref_block_hash: request.refBlockId.slice(16, 32),
    expiration: request.nowMs + 60_000,
    fee_limit: request.feeLimit,
    timestamp: request.nowMs,
  };
  const transaction: TransactionJson = { visible: false, txID: '', raw_data: rawData, raw_data_hex: '' };
  // tronweb types its protobuf message as any; it only travels from one of its helpers to the next.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
  const protobuf = utils.transaction.txJsonToPb(transaction);
  transaction.raw_data_hex = utils.transaction.txPbToRawDataHex(protobuf).toLowerCase();
  transaction.txID = utils.transaction.txPbToTxID(protobuf).replace(/^0x/, '').toLowerCase();
  return transaction;
}

export type BroadcastCheck =
  | {
      readonly ok: true;
      readonly txID: string;
      readonly owner: TronAddress;
      readonly contract: TronAddress;
      readonly data: string;
      readonly expirationMs: number;
    }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Checks a signed transaction: encoding, id, signature, and that it is a contract call we can execute. */
export function checkBroadcast(body: Record<string, unknown>): BroadcastCheck {
  const fail = (code: string, message: string): BroadcastCheck => ({ ok: false, code, message });
  const rawDataHex = typeof body.raw_data_hex === 'string' ? body.raw_data_hex.toLowerCase() : '';
  const txID = typeof body.txID === 'string' ? body.txID.toLowerCase() : '';
  const signatures = Array.isArray(body.signature)
    ? body.signature.filter((item): item is string => typeof item === 'string')
    : [];
  if (!rawDataHex || !txID || signatures.length === 0)
    return fail('SIGERROR', 'a signed transaction needs txID, raw_data_hex and signature');
  let rebuilt: string;
  try {
    rebuilt = utils.transaction.txPbToRawDataHex(utils.transaction.txJsonToPb(body)).toLowerCase();
  } catch {
    return fail('OTHER_ERROR', 'raw_data is not a transaction');
  }
  if (rebuilt !== rawDataHex) return fail('OTHER_ERROR', 'raw_data does not match raw_data_hex');
  if (createHash('sha256').update(Buffer.from(rawDataHex, 'hex')).digest('hex') !== txID)
    return fail('SIGERROR', 'txID is not sha256(raw_data_hex)');
  const rawData = body.raw_data as {
    contract?: { parameter?: { value?: Record<string, unknown> }; type?: string }[];
    expiration?: number;
  };
  const contract = rawData.contract?.[0];
  const value = contract?.parameter?.value ?? {};
  if (contract?.type !== 'TriggerSmartContract')
    return fail('CONTRACT_VALIDATE_ERROR', 'only TriggerSmartContract is supported');
  let owner: TronAddress;
  let target: TronAddress;
  try {
    owner = parseTronAddress(String(value.owner_address));
    target = parseTronAddress(String(value.contract_address));
  } catch {
    return fail('CONTRACT_VALIDATE_ERROR', 'malformed address');
  }
  const signature = signatures[0]!.replace(/^0x/, '');
  if (!/^[0-9a-f]{130}$/i.test(signature)) return fail('SIGERROR', 'malformed signature');
  let signer: TronAddress;
  try {
    const recovery = Number.parseInt(signature.slice(128, 130), 16);
    const point = secp256k1.Signature.fromBytes(Buffer.from(signature.slice(0, 128), 'hex'), 'compact')
      .addRecoveryBit(recovery >= 27 ? recovery - 27 : recovery)
      .recoverPublicKey(Buffer.from(txID, 'hex'));
    signer = addressFromPublicKey(point.toBytes(false));
  } catch {
    return fail('SIGERROR', 'validate signature error');
  }
  if (signer.hex41 !== owner.hex41)
    return fail('SIGERROR', `validate signature error: signed by ${signer.base58}, owner is ${owner.base58}`);
  return {
    ok: true,
    txID,
    owner,
    contract: target,
    data: typeof value.data === 'string' ? value.data : '',
    expirationMs: Number(rawData.expiration ?? 0),
  };
}

/** Decodes transfer(address,uint256) call data into its recipient and amount. */
export function decodeTransferCall(data: string): { to: TronAddress; amountMinor: bigint } | undefined {
  const hex = data.toLowerCase();
  if (!hex.startsWith(transferSelector) || hex.length !== 8 + 128) return undefined;
  return { to: parseTronAddress(hex.slice(8 + 24, 8 + 64)), amountMinor: BigInt(`0x${hex.slice(8 + 64)}`) };
}

export function encodeAddressArgument(address: TronAddress): string {
  return addressToWord(address);
}
