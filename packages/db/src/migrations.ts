// Applies the numbered SQL files in packages/db/migrations in order, once each, under an advisory lock so that
// two processes starting together never race. Migrations are DDL files run as they are written, so this module
// uses the plain pg client (simple query protocol) rather than slonik's parameterised templates.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const migrationsDirectory = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Arbitrary constant that identifies Cardgate's migration lock among advisory locks. */
const migrationLockKey = 7_420_001;
const migrationFilePattern = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export async function readMigrations(directory = migrationsDirectory): Promise<Migration[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const match = migrationFilePattern.exec(name);
    if (!match?.[1]) throw new MigrationError(`migration file name ${name} does not match NNNN_name.sql`);
    const sql = await readFile(join(directory, name), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    migrations.push({ version: match[1], name, sql, checksum });
  }
  const versions = new Set(migrations.map((migration) => migration.version));
  if (versions.size !== migrations.length) throw new MigrationError('two migrations share a version number');
  return migrations;
}

/** A fingerprint of the whole migration set, used to name reusable template databases in tests. */
export async function migrationsFingerprint(directory = migrationsDirectory): Promise<string> {
  const hash = createHash('sha256');
  for (const migration of await readMigrations(directory))
    hash.update(migration.name).update(migration.checksum);
  return hash.digest('hex').slice(0, 12);
}

export interface MigrateResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: number;
}

export async function migrate(
  connectionUri: string,
  directory = migrationsDirectory,
): Promise<MigrateResult> {
  const migrations = await readMigrations(directory);
  const client = new pg.Client({ connectionString: connectionUri, application_name: 'cardgate-migrate' });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
    await client.query(`create table if not exists schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now())`);
    const rows = await client.query<{ version: string; checksum: string; name: string }>(
      'select version, checksum, name from schema_migrations',
    );
    const appliedByVersion = new Map(rows.rows.map((row) => [row.version, row]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const previous = appliedByVersion.get(migration.version);
      if (previous) {
        if (previous.checksum !== migration.checksum)
          throw new MigrationError(
            `migration ${migration.name} changed after it was applied; add a new one instead`,
          );
        continue;
      }
      await client.query('begin');
      try {
        await client.query(migration.sql);
        await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw new MigrationError(`migration ${migration.name} failed: ${(error as Error).message}`);
      }
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: appliedByVersion.size };
  } finally {
    await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    await client.end();
  }
}
