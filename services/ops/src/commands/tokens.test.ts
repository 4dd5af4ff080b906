// Proves the token commands against the real PostgreSQL: create prints a token that authenticates with its scopes,
// revoke stops it at once, both leave audit rows naming the CLI actor, and bad flags are refused without a write.
import { describe, expect, it } from 'vitest';
import { createOperatorAudit, createOperatorTokens } from '@cardgate/operators';
import { testLogger, useTestDatabase } from '@cardgate/test-harness';
import type { CommandContext } from '../commands.ts';
import { tokenCommands } from './tokens.ts';

const database = useTestDatabase();

function contextWith(output: string[]): CommandContext {
  return {
    pool: database.pool,
    logger: testLogger('ops'),
    actor: 'cli:test',
    write: (text) => void output.push(text),
    confirm: () => Promise.resolve(true),
  };
}

describe('ops token commands', () => {
  it('creates a token that works, revokes it, and audits both', async () => {
    const output: string[] = [];
    const create = tokenCommands['token:create'];
    const revoke = tokenCommands['token:revoke'];
    if (!create || !revoke) throw new Error('token commands missing');
    expect(
      await create.run(
        ['--name', 'ops-alice', '--scopes', 'read,operate', '--days', '7'],
        contextWith(output),
      ),
    ).toBe(0);
    const token = output.join('').match(/cgo_[A-Za-z0-9_-]{43}/)?.[0];
    const tokenId = output.join('').match(/opt_[a-z2-7]{16}/)?.[0];
    expect(token).toBeDefined();
    const tokens = createOperatorTokens(database.pool);
    expect(await tokens.authenticate(token ?? '')).toMatchObject({
      name: 'ops-alice',
      scopes: ['read', 'operate'],
    });
    expect(await revoke.run([tokenId ?? ''], contextWith(output))).toBe(0);
    expect(await tokens.authenticate(token ?? '')).toBeNull();
    const audit = await createOperatorAudit(database.pool).recent({ target: `token:${tokenId}`, limit: 10 });
    expect(audit.map((entry) => [entry.action, entry.actor, entry.result])).toEqual([
      ['token.revoke', 'cli:test', 'ok'],
      ['token.create', 'cli:test', 'ok'],
    ]);
  });

  it('refuses an unknown scope and a bad lifetime without writing', async () => {
    const create = tokenCommands['token:create'];
    if (!create) throw new Error('token:create missing');
    const before = (await createOperatorTokens(database.pool).list()).length;
    await expect(create.run(['--name', 'x', '--scopes', 'root'], contextWith([]))).rejects.toThrow(
      /unknown scope/,
    );
    await expect(
      create.run(['--name', 'x', '--scopes', 'read', '--days', '0'], contextWith([])),
    ).rejects.toThrow(/days/);
    expect((await createOperatorTokens(database.pool).list()).length).toBe(before);
  });
});
