// Proves the API's shared edge behaviour in-process: readiness reflects the real database, a failing dependency
// turns readiness into 503 without leaking internals, unknown routes get problem+json 404, and the request id is
// echoed (or generated when the offered one is unsafe) and written once on every line of the request.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '@cardgate/config';
import { AppError } from '@cardgate/errors';
import { pingDatabase } from '@cardgate/db';
import { testLogger, useTestDatabase } from '@cardgate/test-harness';
import { createApp } from './app.ts';

const database = useTestDatabase();
const logger = testLogger('api-test');

describe('health endpoints', () => {
  it('reports ready when the real database answers', async () => {
    const app = createApp({
      logger,
      healthChecks: { database: () => pingDatabase(database.pool) },
    });
    const response = await app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });

  it('reports 503 with the failing check named when a dependency fails', async () => {
    const app = createApp({
      logger,
      healthChecks: {
        database: () => pingDatabase(database.pool),
        temporal: () => Promise.reject(new Error('refused')),
      },
    });
    const response = await app.request('/health');
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: Record<string, string> };
    expect(body.checks.database).toBe('ok');
    expect(body.checks.temporal).toBe('failing: refused');
  });
});

describe('request handling', () => {
  it('answers an unknown route with a problem+json 404', async () => {
    const app = createApp({ logger, healthChecks: {} });
    const response = await app.request('/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('echoes a sane request id, replaces an unsafe one, and logs the id on the access line', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()),
    });
    const app = createApp({
      logger: createLogger({ service: 'api-test', destination: sink }),
      healthChecks: {},
    });
    const echoed = await app.request('/health/live', { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await app.request('/health/live', { headers: { 'x-request-id': 'bad id\n' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.some((line) => JSON.parse(line).requestId === 'abc-123')).toBe(true);
  });

  it('writes the request id once on the rejection line and on the access line', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()),
    });
    const app = createApp({
      logger: createLogger({ service: 'api-test', destination: sink }),
      healthChecks: {},
    });
    app.get('/refuse', () => {
      throw new AppError('invalid_input', 'refused on purpose');
    });
    const response = await app.request('/refuse', { headers: { 'x-request-id': 'once-1' } });
    expect(response.status).toBe(400);
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual(['request rejected', 'request']);
    for (const line of lines) {
      // JSON.parse keeps only the last of two equal keys; the raw line shows a repeated one.
      expect(line.match(/"requestId":/g)).toHaveLength(1);
      expect((JSON.parse(line) as { requestId: string }).requestId).toBe('once-1');
    }
  });
});
