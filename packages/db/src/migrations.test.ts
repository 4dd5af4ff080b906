// Proves the migration runner on the real PostgreSQL: it applies pending files once, in order; a second run (or two
// concurrent runs) applies nothing twice; a failing file leaves no partial schema; a file changed after being applied
// is refused.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ensureDatabase, dropDatabase, withDatabase } from '@cardgate/local-stack';
import { harnessContext, uniqueSuffix } from '@cardgate/test-harness';
import { migrate, MigrationError } from './migrations.ts';
import { createDatabasePool } from './pool.ts';
import { sql } from 'slonik';

async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { postgresAdminUrl } = harnessContext();
  const name = `cardgate_test_${Math.floor(Date.now() / 1000)}_${uniqueSuffix()}`;
  await ensureDatabase(postgresAdminUrl, name);
  return { url: withDatabase(postgresAdminUrl, name), drop: () => dropDatabase(postgresAdminUrl, name) };
}

async function migrationsDirectory(files: Record<string, string>): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'cardgate-migrations-'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(directory, name), content);
  return directory;
}

describe('migrate', () => {
  it('applies each file once, even when two runs race', async () => {
    const database = await emptyDatabase();
    try {
      const directory = await migrationsDirectory({
        '0001_a.sql': 'create table a (id int8 primary key);',
        '0002_b.sql': 'create table b (id int8 primary key references a (id));',
      });
      const [first, second] = await Promise.all([
        migrate(database.url, directory),
        migrate(database.url, directory),
      ]);
      expect([...first.applied, ...second.applied].sort()).toEqual(['0001_a.sql', '0002_b.sql']);
      const again = await migrate(database.url, directory);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBe(2);
    } finally {
      await database.drop();
    }
  });

  it('rolls a failing file back completely and records nothing for it', async () => {
    const database = await emptyDatabase();
    try {
      const directory = await migrationsDirectory({
        '0001_bad.sql': 'create table half (id int8); select 1/0;',
      });
      await expect(migrate(database.url, directory)).rejects.toThrow(MigrationError);
      const pool = await createDatabasePool({ connectionUri: database.url });
      const tables = await pool.anyFirst(sql.type(z.object({ name: z.string() }))`
        select table_name as name from information_schema.tables where table_name = 'half'`);
      const recorded = await pool.oneFirst(sql.type(z.object({ count: z.bigint() }))`
        select count(*) as count from schema_migrations`);
      await pool.end();
      expect(tables).toEqual([]);
      expect(recorded).toBe(0n);
    } finally {
      await database.drop();
    }
  });

  it('refuses a file that changed after it was applied', async () => {
    const database = await emptyDatabase();
    try {
      await migrate(database.url, await migrationsDirectory({ '0001_a.sql': 'create table a (id int8);' }));
      const changed = await migrationsDirectory({ '0001_a.sql': 'create table a (id int8, extra text);' });
      await expect(migrate(database.url, changed)).rejects.toThrow(/changed after it was applied/);
    } finally {
      await database.drop();
    }
  });
});
