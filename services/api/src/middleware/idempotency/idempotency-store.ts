// The owner of api_idempotency (migration 0013): one row per caller and Idempotency-Key, claimed before the request
// runs, holding its response once it is done. A running request holds a lease; a repeat after the lease (the first
// process died mid-request) takes the request over and runs it again, which is safe because handlers derive the
// objects they create from the key. Rows expire after the retention (24 hours); an expired key may be used afresh.
import { sql, type DatabasePool } from '@cardgate/db';
import { z } from 'zod';

export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly status: number; readonly body: string }
  | { readonly kind: 'fingerprint_mismatch' }
  | { readonly kind: 'in_progress' };

const claimedRow = z.object({ claimed: z.boolean() });
const existingRow = z.object({
  fingerprint: z.string(),
  state: z.enum(['running', 'done']),
  lease_expired: z.boolean(),
  response_status: z.number().nullable(),
  response_body: z.string().nullable(),
});
const noRows = z.object({});

export interface IdempotencyStoreOptions {
  /** How long a completed response is kept and replayed (Stripe keeps keys at least 24 hours). */
  readonly retentionMs: number;
  /** How long a running request may hold its key before a repeat may take it over (above the request timeout). */
  readonly leaseMs: number;
}

export function createIdempotencyStore(pool: DatabasePool, options: IdempotencyStoreOptions) {
  const retention = sql.fragment`now() + ${options.retentionMs} * interval '1 millisecond'`;
  const lease = sql.fragment`now() + ${options.leaseMs} * interval '1 millisecond'`;
  return {
    /** Claims the key for this request, or says what the earlier request with it left. */
    async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
      const claimed = await pool.maybeOne(sql.type(claimedRow)`
        insert into api_idempotency (scope, key, fingerprint, state, lease_until, expires_at)
        values (${scope}, ${key}, ${fingerprint}, 'running', ${lease}, ${retention})
        on conflict (scope, key) do update set fingerprint = excluded.fingerprint, state = 'running',
          lease_until = excluded.lease_until, response_status = null, response_body = null, created_at = now(),
          expires_at = excluded.expires_at
        where api_idempotency.expires_at < now()
        returning true as claimed`);
      if (claimed) return { kind: 'claimed' };
      const existing = await pool.maybeOne(sql.type(existingRow)`
        select fingerprint, state, lease_until < now() as lease_expired, response_status, response_body
        from api_idempotency where scope = ${scope} and key = ${key}`);
      // Gone between the two statements (expired and swept): claim afresh.
      if (!existing) return this.claim(scope, key, fingerprint);
      if (existing.fingerprint !== fingerprint) return { kind: 'fingerprint_mismatch' };
      if (existing.state === 'done' && existing.response_status !== null && existing.response_body !== null)
        return { kind: 'replay', status: existing.response_status, body: existing.response_body };
      if (!existing.lease_expired) return { kind: 'in_progress' };
      const takenOver = await pool.maybeOne(sql.type(claimedRow)`
        update api_idempotency set lease_until = ${lease}
        where scope = ${scope} and key = ${key} and state = 'running' and lease_until < now()
        returning true as claimed`);
      return takenOver ? { kind: 'claimed' } : { kind: 'in_progress' };
    },

    async complete(scope: string, key: string, status: number, body: string): Promise<void> {
      await pool.query(sql.type(noRows)`
        update api_idempotency set state = 'done', response_status = ${status}, response_body = ${body}
        where scope = ${scope} and key = ${key}`);
    },

    /** Lets the key go (a retryable failure): the next request with it runs afresh. */
    async release(scope: string, key: string): Promise<void> {
      await pool.query(sql.type(noRows)`
        delete from api_idempotency where scope = ${scope} and key = ${key} and state = 'running'`);
    },

    /** Deletes expired rows, at most `limit` at a time; returns how many. */
    async sweep(limit: number): Promise<number> {
      const rows = await pool.any(sql.type(z.object({ key: z.string() }))`
        delete from api_idempotency where ctid in (
          select ctid from api_idempotency where expires_at < now() limit ${limit})
        returning key`);
      return rows.length;
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
