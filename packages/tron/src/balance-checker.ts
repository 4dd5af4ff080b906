// The ABI of a balance-checker contract, `balances(address[] holders, address[] tokens) returns (uint256[])` (the
// widely deployed BalanceChecker shape: one answer per holder and token, holder-major), so a reconciliation reads
// 500 addresses' USDT in one constant call instead of 500. Tens of thousands of single `balanceOf` calls an hour
// exceed what public TRON endpoints allow, and on the devnet they took minutes (bench:reconcile). Encoding and
// decoding written out: two dynamic arrays of 32-byte words need no ABI library.
import type { TronAddress } from './address.ts';
import { addressToWord } from './address.ts';

export const balancesFunction = 'balances(address[],address[])';
/** Bound on holders per call: 500 addresses are 16 KB of call data, well inside a node's limits. */
export const balancesHoldersMax = 500;

const word = (value: bigint | number): string => BigInt(value).toString(16).padStart(64, '0');

function encodeAddressArray(addresses: readonly TronAddress[]): string {
  return word(addresses.length) + addresses.map(addressToWord).join('');
}

/** The call's parameter (without the selector): the two arrays' offsets, then each array. */
export function encodeBalancesCall(holders: readonly TronAddress[], tokens: readonly TronAddress[]): string {
  const holdersPart = encodeAddressArray(holders);
  return word(64) + word(64 + holdersPart.length / 2) + holdersPart + encodeAddressArray(tokens);
}

function readWord(hex: string, offsetBytes: number): bigint {
  const text = hex.slice(offsetBytes * 2, offsetBytes * 2 + 64);
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new RangeError(`no 32-byte word at byte ${offsetBytes}`);
  return BigInt(`0x${text}`);
}

/** Length-prefixed words at `offsetBytes`, bounded by `lengthMax`. */
function readWords(hex: string, offsetBytes: number, lengthMax: number): bigint[] {
  const length = readWord(hex, offsetBytes);
  if (length > BigInt(lengthMax)) throw new RangeError(`an array of ${length} words, at most ${lengthMax}`);
  return Array.from({ length: Number(length) }, (_, index) => readWord(hex, offsetBytes + 32 * (index + 1)));
}

/** The call's parameter as the contract reads it: the holders' and tokens' 20-byte ids in hex. */
export function decodeBalancesCall(parameter: string): { holders: string[]; tokens: string[] } {
  const toHex20 = (value: bigint): string => value.toString(16).padStart(40, '0');
  const holders = readWords(parameter, Number(readWord(parameter, 0)), balancesHoldersMax).map(toHex20);
  const tokens = readWords(parameter, Number(readWord(parameter, 32)), 16).map(toHex20);
  return { holders, tokens };
}

/** The answer: a uint256[] (offset, length, words). */
export function encodeUintArray(values: readonly bigint[]): string {
  return word(32) + word(values.length) + values.map(word).join('');
}

export function decodeUintArray(result: string, lengthMax: number): bigint[] {
  return readWords(result, Number(readWord(result, 0)), lengthMax);
}
