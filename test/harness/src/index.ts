// Per-test-file isolation on the real servers: a fresh database cloned from the migrated template, a Redis key
// prefix, and a Temporal task queue of its own, so test files run in parallel without seeing each other's data.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { createDatabasePool, type DatabasePool } from '@cardgate/db';
import { ensureDatabase, dropDatabase, withDatabase } from '@cardgate/local-stack';
import type { HarnessContext } from './provided.ts';
import './provided.ts';

export type { HarnessContext } from './provided.ts';

export function harnessContext(): HarnessContext {
  return inject('harness');
}

export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  /** Valid inside tests and hooks declared after `useTestDatabase()`. */
  readonly pool: DatabasePool;
}

/**
 * Declares beforeAll/afterAll hooks that create a database for this test file from the migrated template and drop it
 * afterwards. Returns a handle whose `pool` is ready once beforeAll has run.
 */
export function useTestDatabase(options: { maxPoolSize?: number } = {}): TestDatabase {
  const { postgresAdminUrl, templateDatabase } = harnessContext();
  const name = `cardgate_test_${Math.floor(Date.now() / 1000)}_${uniqueSuffix()}`;
  const url = withDatabase(postgresAdminUrl, name);
  let pool: DatabasePool | undefined;
  beforeAll(async () => {
    await ensureDatabase(postgresAdminUrl, name, templateDatabase);
    pool = await createDatabasePool({
      connectionUri: url,
      maxPoolSize: options.maxPoolSize ?? 10,
      applicationName: 'cardgate-test',
    });
  });
  afterAll(async () => {
    await pool?.end();
    await dropDatabase(postgresAdminUrl, name);
  });
  return {
    url,
    name,
    get pool(): DatabasePool {
      if (!pool) throw new Error('the test database is ready only inside tests and hooks');
      return pool;
    },
  };
}

/** A Redis key prefix (BullMQ `prefix`) unique to this test file. */
export function testRedisPrefix(label = 'test'): string {
  return `cardgate-${label}-${uniqueSuffix()}`;
}

/** A Temporal task queue unique to this test file. */
export function testTaskQueue(label = 'test'): string {
  return `${label}-${uniqueSuffix()}`;
}
export * from './histories.ts';
export * from './test-logs.ts';
