// The deposit list's cursor: where a page ended (the last deposit's first-seen time in microseconds and identity).
import type { DepositPosition } from '@cardgate/deposit-store';
import { encodeCursor } from '../../lib/cursor.ts';

const positionText = /^(\d{1,19})\.([0-9a-f]{64})\.(\d{1,9})$/;
const int8Max = 2n ** 63n - 1n;

export function encodeDepositCursor(position: DepositPosition): string {
  return encodeCursor(`${position.seenAtUs}.${position.txId}.${position.logIndex}`);
}

export function decodeDepositCursor(plain: string): DepositPosition | undefined {
  const match = positionText.exec(plain);
  if (!match) return undefined;
  const seenAtUs = BigInt(match[1]!);
  if (seenAtUs > int8Max) return undefined;
  return { seenAtUs, txId: match[2]!, logIndex: Number(match[3]) };
}
