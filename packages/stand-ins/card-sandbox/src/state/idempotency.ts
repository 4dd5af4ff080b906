// Idempotency records: the answer to the first request made under a key, replayed to an identical retry; the same key
// with another body is a 409 idempotency_key_reused.
import { createHash } from 'node:crypto';
import { SandboxError, stateLimits } from './records.ts';

export interface IdempotencyRecord {
  readonly bodyHash: string;
  readonly response: unknown;
}

/** Either the stored answer to an earlier identical request, or nothing stored yet under that key. */
export type IdempotencyLookup =
  { readonly kind: 'replay'; readonly response: unknown } | { readonly kind: 'new' };

/** JSON with object keys sorted, so two bodies that differ only in key order hash the same. */
function stableJson(value: unknown, depth = 0): string {
  if (depth > 16) throw new Error('request body nests too deeply');
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item, depth + 1)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  return JSON.stringify(value) ?? 'null';
}

export function hashRequest(scope: string, body: unknown): string {
  return createHash('sha256').update(scope).update('\n').update(stableJson(body)).digest('hex');
}

/** Records keyed by `<scope> <key>`. */
export class IdempotencyRecords {
  readonly #records = new Map<string, IdempotencyRecord>();

  /** Looks `key` up in `scope`; a stored record made with another body is a 409 idempotency_key_reused. */
  check(scope: string, key: string, bodyHash: string): IdempotencyLookup {
    const record = this.#records.get(`${scope} ${key}`);
    if (!record) return { kind: 'new' };
    if (record.bodyHash !== bodyHash)
      throw new SandboxError(
        409,
        'idempotency_key_reused',
        `idempotency key ${key} was used with a different request`,
      );
    return { kind: 'replay', response: record.response };
  }

  /** Stores a record; answers its full key, under which it is persisted. */
  remember(scope: string, key: string, record: IdempotencyRecord): string {
    if (this.#records.size >= stateLimits.idempotencyRecords)
      throw new SandboxError(422, 'limit_reached', 'too many idempotency records');
    const fullKey = `${scope} ${key}`;
    this.#records.set(fullKey, record);
    return fullKey;
  }

  /** Puts back a record read from disk. */
  restore(fullKey: string, record: IdempotencyRecord): void {
    this.#records.set(fullKey, record);
  }
}
