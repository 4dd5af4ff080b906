// Redis for development and tests: REDIS_URL when given; else 127.0.0.1:6379 when it answers; else a redis-server
// from PATH started on a free port without persistence; else a clear error saying how to install it.
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { findFreePort, waitForPort } from './net.ts';
import { findExecutable } from './executables.ts';

export interface RedisServer {
  readonly url: string;
  readonly source: 'REDIS_URL' | 'local server' | 'redis-server';
  readonly stop: () => Promise<void>;
}

export const defaultLocalRedisUrl = 'redis://127.0.0.1:6379';

export class RedisUnavailableError extends Error {
  constructor() {
    super(
      'Redis: nothing answers on 127.0.0.1:6379 and redis-server is not on PATH. ' +
        'Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.',
    );
    this.name = 'RedisUnavailableError';
  }
}

export async function pingRedis(url: string, timeoutMs = 1_000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function findOrStartRedis(env: NodeJS.ProcessEnv = process.env): Promise<RedisServer> {
  const noop = async (): Promise<void> => undefined;
  if (env.REDIS_URL) return { url: env.REDIS_URL, source: 'REDIS_URL', stop: noop };
  if (await pingRedis(defaultLocalRedisUrl))
    return { url: defaultLocalRedisUrl, source: 'local server', stop: noop };
  return startRedisServer();
}

/** Starts `redis-server` from PATH on a free port, without persistence. */
export async function startRedisServer(): Promise<RedisServer> {
  const executable = findExecutable('redis-server');
  if (!executable) throw new RedisUnavailableError();
  const port = await findFreePort();
  const child = spawn(
    executable,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await waitForPort(port, 10_000);
  return { url: `redis://127.0.0.1:${port}`, source: 'redis-server', stop: () => stopChild(child) };
}

export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
