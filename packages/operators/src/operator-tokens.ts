// The owner of operator_token. A token is `cgo_<43 base64url characters>` (32 random bytes); only its SHA-256 is
// stored, so a copy of the database lets nobody in. Scopes nest: `admin` may do what `operate` may, `operate` what
// `read` may. A token stops working at its expiry or when revoked.
import { createHash, randomBytes } from 'node:crypto';
import { sql, type DatabasePool } from '@cardgate/db';
import { AppError } from '@cardgate/errors';
import { randomId } from '@cardgate/ids';
import { z } from 'zod';

export const operatorScopes = ['read', 'operate', 'admin'] as const;
export type OperatorScope = (typeof operatorScopes)[number];

export interface Operator {
  readonly tokenId: string;
  readonly name: string;
  readonly scopes: readonly OperatorScope[];
  readonly expiresAt: Date;
}

export interface OperatorTokenInfo extends Operator {
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

const tokenPrefix = 'cgo_';
const tokenPattern = /^cgo_[A-Za-z0-9_-]{43}$/;
/** A token lives at most a year: operators' access is renewed, never forever. */
export const operatorTokenLifetimeMsMax = 366 * 24 * 3600 * 1000;

const tokenRow = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(operatorScopes)),
  created_at: z.string(),
  expires_at: z.string(),
  revoked_at: z.string().nullable(),
});
const columns = sql.fragment`id, name, scopes,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at,
  to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as expires_at,
  to_char(revoked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as revoked_at`;

const rank: Record<OperatorScope, number> = { read: 1, operate: 2, admin: 3 };

/** Whether an operator with `scopes` may act where `needed` is required (scopes nest: admin ⊇ operate ⊇ read). */
export function hasScope(scopes: readonly OperatorScope[], needed: OperatorScope): boolean {
  return scopes.some((scope) => rank[scope] >= rank[needed]);
}

function sha256(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function infoOf(row: z.infer<typeof tokenRow>): OperatorTokenInfo {
  return {
    tokenId: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

export function createOperatorTokens(pool: DatabasePool) {
  return {
    /** Makes a token; the secret is returned once, here, and never stored. */
    async create(input: {
      name: string;
      scopes: readonly OperatorScope[];
      lifetimeMs: number;
    }): Promise<{ token: string; info: OperatorTokenInfo }> {
      if (
        !Number.isInteger(input.lifetimeMs) ||
        input.lifetimeMs <= 0 ||
        input.lifetimeMs > operatorTokenLifetimeMsMax
      )
        throw new AppError('invalid_input', 'a token lives between a millisecond and a year', {
          reason: 'invalid_lifetime',
        });
      if (input.scopes.length === 0 || input.scopes.some((scope) => !operatorScopes.includes(scope)))
        throw new AppError('invalid_input', `scopes must be among ${operatorScopes.join(', ')}`, {
          reason: 'invalid_scopes',
        });
      if (input.name.length < 1 || input.name.length > 100)
        throw new AppError('invalid_input', 'a token name has 1 to 100 characters', {
          reason: 'invalid_name',
        });
      const token = `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
      const row = await pool.one(sql.type(tokenRow)`
        insert into operator_token (id, name, token_sha256, scopes, expires_at)
        values (${randomId('opt')}, ${input.name}, ${sql.binary(sha256(token))},
          ${sql.array([...new Set(input.scopes)], 'text')}, now() + ${input.lifetimeMs} * interval '1 millisecond')
        returning ${columns}`);
      return { token, info: infoOf(row) };
    },

    /** The operator this token belongs to, or null for an unknown, malformed, expired or revoked token. */
    async authenticate(token: string): Promise<Operator | null> {
      if (!tokenPattern.test(token)) return null;
      const row = await pool.maybeOne(sql.type(tokenRow)`
        select ${columns} from operator_token
        where token_sha256 = ${sql.binary(sha256(token))} and revoked_at is null and expires_at > now()`);
      if (!row) return null;
      const { tokenId, name, scopes, expiresAt } = infoOf(row);
      return { tokenId, name, scopes, expiresAt };
    },

    /** Revokes the token; true when it was active. */
    async revoke(tokenId: string): Promise<boolean> {
      const rows = await pool.any(sql.type(z.object({ id: z.string() }))`
        update operator_token set revoked_at = now() where id = ${tokenId} and revoked_at is null returning id`);
      return rows.length === 1;
    },

    async list(): Promise<OperatorTokenInfo[]> {
      const rows = await pool.any(
        sql.type(tokenRow)`select ${columns} from operator_token order by created_at`,
      );
      return rows.map(infoOf);
    },
  };
}

export type OperatorTokens = ReturnType<typeof createOperatorTokens>;
