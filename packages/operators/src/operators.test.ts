// Proves operator tokens and the audit on the real PostgreSQL: a created token authenticates with its scopes and is
// stored only as a hash; a revoked, expired, unknown or malformed token does not; scopes nest; the audit keeps what
// was recorded and refuses to change or delete it.
import { describe, expect, it } from 'vitest';
import { sql } from '@cardgate/db';
import { useTestDatabase } from '@cardgate/test-harness';
import { z } from 'zod';
import { createOperatorAudit, createOperatorTokens, hasScope } from './index.ts';

const database = useTestDatabase();

describe('operator tokens', () => {
  it('authenticates a created token with its scopes, and stores no secret', async () => {
    const tokens = createOperatorTokens(database.pool);
    const { token, info } = await tokens.create({
      name: 'alice',
      scopes: ['operate'],
      lifetimeMs: 3_600_000,
    });
    expect(token).toMatch(/^cgo_[A-Za-z0-9_-]{43}$/);
    expect(await tokens.authenticate(token)).toMatchObject({
      tokenId: info.tokenId,
      name: 'alice',
      scopes: ['operate'],
    });
    const stored = await database.pool.oneFirst(
      sql.type(
        z.object({ row: z.string() }),
      )`select row_to_json(t)::text as row from operator_token t where id = ${info.tokenId}`,
    );
    expect(stored).not.toContain(token.slice(4));
  });

  it('refuses revoked, expired, unknown and malformed tokens', async () => {
    const tokens = createOperatorTokens(database.pool);
    const revoked = await tokens.create({ name: 'r', scopes: ['read'], lifetimeMs: 3_600_000 });
    expect(await tokens.revoke(revoked.info.tokenId)).toBe(true);
    expect(await tokens.revoke(revoked.info.tokenId)).toBe(false);
    expect(await tokens.authenticate(revoked.token)).toBeNull();
    const expiring = await tokens.create({ name: 'e', scopes: ['read'], lifetimeMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await tokens.authenticate(expiring.token)).toBeNull();
    expect(await tokens.authenticate(`cgo_${'A'.repeat(43)}`)).toBeNull();
    expect(await tokens.authenticate("cgo_' or 1=1 --")).toBeNull();
    await expect(tokens.create({ name: 'x', scopes: [], lifetimeMs: 1000 })).rejects.toMatchObject({
      reason: 'invalid_scopes',
    });
  });

  it('nests scopes: admin may operate and read, read may do neither', () => {
    expect(hasScope(['admin'], 'operate')).toBe(true);
    expect(hasScope(['operate'], 'read')).toBe(true);
    expect(hasScope(['read'], 'operate')).toBe(false);
    expect(hasScope(['operate'], 'admin')).toBe(false);
  });
});

describe('operator audit', () => {
  it('keeps entries and refuses to change or delete them', async () => {
    const audit = createOperatorAudit(database.pool);
    await audit.record({
      actor: 'opt_x',
      action: 'card.freeze',
      target: 'card:crd_1',
      requestId: 'r1',
      result: 'ok',
    });
    const [entry] = await audit.recent({ target: 'card:crd_1', limit: 10 });
    expect(entry).toMatchObject({ actor: 'opt_x', action: 'card.freeze', result: 'ok', requestId: 'r1' });
    await expect(
      database.pool.query(sql.type(z.object({}))`update operator_audit set result = 'failed'`),
    ).rejects.toThrow(/append-only/);
    await expect(database.pool.query(sql.type(z.object({}))`delete from operator_audit`)).rejects.toThrow(
      /append-only/,
    );
  });
});
