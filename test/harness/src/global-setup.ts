// Runs once per `vitest run`: finds or starts PostgreSQL, Redis and a Temporal dev server, and prepares a
// template database with every migration applied, so each test file can clone a fresh database in milliseconds.
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrate, migrationsFingerprint } from '@cardgate/db';
import {
  ensureTemporalCli,
  findOrStartPostgres,
  findOrStartRedis,
  findOrStartTemporal,
  ensureDatabase,
  dropDatabase,
  withDatabase,
  stateDirectory,
} from '@cardgate/local-stack';
import { join } from 'node:path';
import type { HarnessContext } from './provided.ts';
import './provided.ts';

const staleDatabaseAgeSeconds = 3_600;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string): void => void process.stderr.write(`[harness] ${line}\n`);
  // Installing the Temporal CLI on a fresh clone blocks the event loop for seconds (pip runs synchronously). Done
  // alongside the checks below, it made the 2-second connection check to the local PostgreSQL time out, and every
  // CI run quietly fell back to an embedded PostgreSQL. So it is done first, with nothing else in flight.
  if (!process.env.TEMPORAL_ADDRESS) ensureTemporalCli(log);
  const [postgres, redis, temporal] = await Promise.all([
    findOrStartPostgres(),
    findOrStartRedis(),
    findOrStartTemporal({ log, logFile: join(stateDirectory, 'temporal-test.log') }),
  ]);
  log(
    `PostgreSQL: ${postgres.source}; Redis: ${redis.source} ${redis.url}; Temporal: ${temporal.source} ${temporal.address}`,
  );

  const templateDatabase = `cardgate_template_${await migrationsFingerprint()}`;
  await prepareTemplate(postgres.adminUrl, templateDatabase);
  await dropStaleDatabases(postgres.adminUrl, templateDatabase);

  const context: HarnessContext = {
    postgresAdminUrl: postgres.adminUrl,
    templateDatabase,
    redisUrl: redis.url,
    temporalAddress: temporal.address,
    temporalNamespace: temporal.namespace,
  };
  project.provide('harness', context);

  return async () => {
    await temporal.stop();
    await redis.stop();
    await postgres.stop();
  };
}

async function prepareTemplate(adminUrl: string, templateDatabase: string): Promise<void> {
  const created = await ensureDatabase(adminUrl, templateDatabase);
  if (!created) return;
  try {
    await migrate(withDatabase(adminUrl, templateDatabase));
  } catch (error) {
    // A half-migrated template must not be reused by the next run.
    await dropDatabase(adminUrl, templateDatabase);
    throw error;
  }
}

/**
 * Drops templates of other migration sets and test databases left behind by runs that crashed, once they are an hour
 * old or more. Age comes from the database's PG_VERSION file: a template of another migration set may belong to a run
 * in progress in another checkout on the same server (it would fail mid-run if its template vanished).
 */
async function dropStaleDatabases(adminUrl: string, currentTemplate: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  let rows: { datname: string; age_seconds: string | null }[];
  try {
    const result = await client.query<{ datname: string; age_seconds: string | null }>(
      `select datname,
              extract(epoch from now() - (pg_stat_file('base/' || oid || '/PG_VERSION', true)).modification)::bigint::text
                as age_seconds
         from pg_database
        where datname like 'cardgate\\_template\\_%' or datname like 'cardgate\\_test\\_%'`,
    );
    rows = result.rows;
  } finally {
    await client.end();
  }
  for (const row of rows) {
    if (row.datname === currentTemplate) continue;
    // Unknown age (the file could not be read): leave it; a later run will see its age.
    if (row.age_seconds === null || BigInt(row.age_seconds) < BigInt(staleDatabaseAgeSeconds)) continue;
    await dropDatabase(adminUrl, row.datname).catch(() => undefined);
  }
}
