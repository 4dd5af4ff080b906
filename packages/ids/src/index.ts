// Cardgate's ids: `<prefix>_<16 base32 characters>` (80 bits). A random id names a new object (a user, a token); a
// derived id names the object a caller's retry must find again (the card an Idempotency-Key creates), so a request
// taken over after a crash makes the same object, never a second one.
import { createHash, randomBytes } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
const idBytes = 10;
const prefixPattern = /^[a-z]{2,8}$/;

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += alphabet[(value << (5 - bits)) & 31];
  return text;
}

function checkPrefix(prefix: string): void {
  if (!prefixPattern.test(prefix))
    throw new Error(`id prefix ${JSON.stringify(prefix)} must be 2-8 lowercase letters`);
}

/** A new random id, e.g. `usr_k3f...` (16 base32 characters after the prefix). */
export function randomId(prefix: string): string {
  checkPrefix(prefix);
  return `${prefix}_${base32(randomBytes(idBytes))}`;
}

/** The id named by `parts` (for example a caller's scope and idempotency key): the same parts, the same id. */
export function derivedId(prefix: string, ...parts: readonly string[]): string {
  checkPrefix(prefix);
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return `${prefix}_${base32(hash.digest().subarray(0, idBytes))}`;
}

/** Whether `id` is an id of this prefix's form. */
export function isId(prefix: string, id: string): boolean {
  return new RegExp(`^${prefix}_[a-z2-7]{16}$`).test(id);
}
