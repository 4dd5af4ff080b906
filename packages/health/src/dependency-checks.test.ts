// Proves every readiness check asks its dependency: against servers this test starts, each check answers "ok" while
// the server runs and "failing" once it is stopped (for PostgreSQL: once the link to it is cut), within the check's timeout.
// The Temporal check is run through both kinds of connection: the client's (API, watcher) and the worker's native one.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { Redis } from 'ioredis';
import { createDatabasePool, pingDatabase } from '@cardgate/db';
import { startRedisServer, startTemporalDevServer } from '@cardgate/local-stack';
import { useTestDatabase } from '@cardgate/test-harness';
import { healthCheckTimeoutMs, runHealthChecks, type HealthCheck } from './health-routes.ts';
import { redisHealthCheck, temporalHealthCheck } from './dependency-checks.ts';

const database = useTestDatabase();
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

/** Runs one check as /health does and returns its result and how long it took. */
async function check(run: HealthCheck): Promise<{ result: string; durationMs: number }> {
  const startedAt = Date.now();
  const results = await runHealthChecks({ dependency: run });
  return { result: results.dependency ?? 'missing', durationMs: Date.now() - startedAt };
}

describe('readiness checks ask their dependency', () => {
  it('Temporal: ok while the server runs, failing once it is stopped, through either connection', async () => {
    const server = await startTemporalDevServer({});
    closers.push(() => server.stop());
    const client = await Connection.connect({ address: server.address });
    closers.push(() => client.close());
    const native = await NativeConnection.connect({ address: server.address });
    closers.push(() => native.close());
    expect((await check(temporalHealthCheck(client))).result).toBe('ok');
    expect((await check(temporalHealthCheck(native))).result).toBe('ok');

    await server.stop();
    for (const connection of [client, native]) {
      const down = await check(temporalHealthCheck(connection));
      expect(down.result).toMatch(/^failing: /);
      expect(down.durationMs).toBeLessThan(healthCheckTimeoutMs + 1_000);
    }
  }, 60_000);

  it('Redis: ok while the server runs, failing once it is stopped', async () => {
    const server = await startRedisServer();
    closers.push(() => server.stop());
    // As the worker connects: commands wait for a reconnect instead of failing, so only the timeout ends the check.
    const redis = new Redis(server.url, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    closers.push(async () => redis.disconnect());
    expect((await check(redisHealthCheck(redis))).result).toBe('ok');

    await server.stop();
    const down = await check(redisHealthCheck(redis));
    expect(down.result).toMatch(/^failing: /);
    expect(down.durationMs).toBeLessThan(healthCheckTimeoutMs + 1_000);
  });

  it('PostgreSQL: ok through a link to the real server, failing once the link is cut', async () => {
    // The machine's server is never stopped by a test: the pool reaches it through a TCP link this test can cut.
    const target = new URL(database.url);
    const sockets = new Set<Socket>();
    const link = createServer((inbound) => {
      const outbound = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => link.listen(0, '127.0.0.1', resolve));
    const linkPort = (link.address() as AddressInfo).port;
    const linked = new URL(database.url);
    linked.host = `127.0.0.1:${linkPort}`;
    const pool = await createDatabasePool({ connectionUri: linked.toString(), connectionTimeoutMs: 1_000 });
    closers.push(() => pool.end());
    expect((await check(() => pingDatabase(pool))).result).toBe('ok');

    await new Promise<void>((resolve) => {
      link.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    const down = await check(() => pingDatabase(pool));
    expect(down.result).toMatch(/^failing: /);
    expect(down.durationMs).toBeLessThan(healthCheckTimeoutMs + 1_000);
  });
});
