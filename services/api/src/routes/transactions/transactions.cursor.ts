// The statement's cursor: the ledger sequence number the page ended at (the next page is older).
import { encodeCursor } from '../../lib/cursor.ts';

const int8Max = 2n ** 63n - 1n;

export function encodeStatementCursor(seq: bigint): string {
  return encodeCursor(`seq.${seq}`);
}

export function decodeStatementCursor(plain: string): bigint | undefined {
  const match = /^seq\.([1-9]\d{0,18})$/.exec(plain);
  if (!match) return undefined;
  const seq = BigInt(match[1]!);
  return seq <= int8Max ? seq : undefined;
}
