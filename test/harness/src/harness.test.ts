// Proves the shared harness on the real servers: each test file gets a database cloned from the migrated template
// (queried through slonik, with int8 arriving as bigint), databases of different files are separate, and a BullMQ job
// makes a full round trip through the real Redis under a prefix of its own.
import { describe, expect, it } from 'vitest';
import { Queue, Worker, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { sql, createDatabasePool } from '@cardgate/db';
import { withDatabase, ensureDatabase, dropDatabase } from '@cardgate/local-stack';
import { harnessContext, testRedisPrefix, useTestDatabase, uniqueSuffix } from './index.ts';

const database = useTestDatabase();

describe('test database', () => {
  it('has every migration applied and is reachable through slonik', async () => {
    const versions = await database.pool.manyFirst(sql.type(z.object({ version: z.string() }))`
      select version from schema_migrations order by version`);
    expect(versions[0]).toBe('0001');
  });

  it('returns int8 and integral numeric values as bigint, never as a float', async () => {
    const row = await database.pool.one(sql.type(
      z.object({ big: z.bigint(), wide: z.bigint(), rate: z.string() }),
    )`select 9007199254740993::int8 as big, 123456789012345678901234567890::numeric(38,0) as wide,
        1.2345678901234567890::numeric as rate`);
    expect(row.big).toBe(9_007_199_254_740_993n);
    expect(row.wide).toBe(123_456_789_012_345_678_901_234_567_890n);
    expect(row.rate).toBe('1.2345678901234567890');
  });

  it('is not shared with another file: a write here is absent from a second clone of the template', async () => {
    await database.pool.query(sql.unsafe`insert into service_heartbeat (service) values ('isolation-probe')`);
    const { postgresAdminUrl, templateDatabase } = harnessContext();
    const otherName = `cardgate_test_${Math.floor(Date.now() / 1000)}_${uniqueSuffix()}`;
    await ensureDatabase(postgresAdminUrl, otherName, templateDatabase);
    const other = await createDatabasePool({ connectionUri: withDatabase(postgresAdminUrl, otherName) });
    try {
      const count = await other.oneFirst(sql.type(z.object({ count: z.bigint() }))`
        select count(*) as count from service_heartbeat where service = 'isolation-probe'`);
      expect(count).toBe(0n);
    } finally {
      await other.end();
      await dropDatabase(postgresAdminUrl, otherName);
    }
  });
});

describe('BullMQ on the real Redis', () => {
  it('delivers a job to a worker and returns its result, under this file’s prefix', async () => {
    const { redisUrl } = harnessContext();
    const prefix = testRedisPrefix('bullmq');
    const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('round-trip', { connection, prefix });
    const events = new QueueEvents('round-trip', { connection: connection.duplicate(), prefix });
    const worker = new Worker(
      'round-trip',
      async (job) => ({ echoed: (job.data as { text: string }).text.toUpperCase() }),
      { connection: connection.duplicate(), prefix },
    );
    try {
      await events.waitUntilReady();
      const job = await queue.add('echo', { text: 'hello' });
      const result = (await job.waitUntilFinished(events, 10_000)) as { echoed: string };
      expect(result.echoed).toBe('HELLO');
      const keys = await connection.keys(`${prefix}:round-trip:*`);
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });
});
