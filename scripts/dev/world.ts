// The local world of `npm run dev`: the devnet's chain, the sandbox's cards, the Temporal dev server's workflows and
// the `cardgate` database that records what happened in them. They live and die together. `world.json` names the
// world (its chain id, under which the watcher keeps its cursor); `--fresh` deletes all of them at once, so the
// database never points at a chain or cards that no longer exist.
//
// Why the whole database is dropped rather than some tables emptied: with a new chain every deposit, block, cursor
// and outbox row, every card, load and transaction at the provider, and every ledger entry made from them belongs to
// the vanished world; a list of tables to empty would have to be kept in step with every migration, and one missed
// table is a database pointing at nothing. Dropping it and applying the migrations again costs about a second.
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { dropDatabase } from '@cardgate/local-stack';
import { devPaths, shownPath } from './state.ts';

export interface World {
  readonly chainId: string;
  readonly createdAt: string;
}

export function readWorld(): World | undefined {
  try {
    const parsed = JSON.parse(readFileSync(devPaths.worldFile, 'utf8')) as Partial<World>;
    return typeof parsed.chainId === 'string' && typeof parsed.createdAt === 'string'
      ? { chainId: parsed.chainId, createdAt: parsed.createdAt }
      : undefined;
  } catch {
    return undefined;
  }
}

export function createWorld(now = new Date()): World {
  const world: World = { chainId: `devnet-${now.getTime()}`, createdAt: now.toISOString() };
  mkdirSync(dirname(devPaths.worldFile), { recursive: true });
  writeFileSync(devPaths.worldFile, `${JSON.stringify(world, null, 2)}\n`);
  return world;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export interface FreshStartInput {
  readonly adminUrl: string;
  readonly databaseUrl: string;
  /** Set when Temporal is a server this command does not start (TEMPORAL_ADDRESS). */
  readonly externalTemporalAddress: string | undefined;
}

/** Why `--fresh` must not run here, or undefined when it may. */
export function freshStartRefusal(input: FreshStartInput): string | undefined {
  const host = new URL(input.databaseUrl).hostname;
  if (!loopbackHosts.has(host))
    return `--fresh drops the database, and DATABASE_URL names one on ${host}, not on this machine; reset it yourself`;
  if (input.externalTemporalAddress !== undefined)
    return `--fresh deletes Temporal's state too, and TEMPORAL_ADDRESS (${input.externalTemporalAddress}) names a server this command did not start; unset it, or reset that server yourself`;
  return undefined;
}

/** Deletes the local world: the database, the stand-ins' state, the Temporal dev server's file and `world.json`. */
export async function deleteWorld(input: FreshStartInput, say: (line: string) => void): Promise<void> {
  const refusal = freshStartRefusal(input);
  if (refusal) throw new Error(refusal);
  const databaseName = databaseNameOf(input.databaseUrl);
  await dropDatabase(input.adminUrl, databaseName);
  const removed: string[] = [];
  for (const path of [
    devPaths.tronDevnetStateDirectory,
    devPaths.cardSandboxStateDirectory,
    devPaths.telegramStandInStateDirectory,
    devPaths.temporalDatabaseFile,
    `${devPaths.temporalDatabaseFile}-wal`,
    `${devPaths.temporalDatabaseFile}-shm`,
    devPaths.worldFile,
  ]) {
    if (!existsSync(path)) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(shownPath(path));
  }
  say(
    `--fresh: dropped database ${databaseName}; removed ${removed.length > 0 ? removed.join(', ') : 'no state files (there were none)'}`,
  );
}

export function databaseNameOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
}

/**
 * True when the database already records a world: a chain cursor or a card. Read with a plain client before the
 * services start, from tables that may not exist yet (a database that was never migrated has no world).
 */
export async function databaseHasWorld(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return false; // the database does not exist
    throw error;
  }
  try {
    // Identifiers cannot be bound; each name is one of the two constants below.
    for (const table of ['chain_cursor', 'card'] as const) {
      const exists = await client.query<{ found: boolean }>('select to_regclass($1) is not null as found', [
        table,
      ]);
      if (exists.rows[0]?.found !== true) continue;
      const rows = await client.query(`select 1 from ${table} limit 1`);
      if ((rows.rowCount ?? 0) > 0) return true;
    }
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
