// Proves how the HTTP client sorts failures, against a real local HTTP server that misbehaves on demand: a refused
// connection is retryable, a timeout or 5xx on a write is ambiguous, a 4xx is a definite refusal, and only requests
// that are safe to repeat are repeated.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from './http-client.ts';
import { CardProviderError } from './provider-error.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
let handler: Handler = (_request, response) => response.end();
const seen: { method: string; url: string; key: string | undefined }[] = [];
const server = createServer((request, response) => {
  seen.push({
    method: request.method ?? '',
    url: request.url ?? '',
    key: request.headers['idempotency-key'] as string,
  });
  handler(request, response);
});
let baseUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () =>
  createHttpClient({ baseUrl, apiKey: 'key', timeoutMs: 200, attemptsMax: 3, backoffMsMax: 5 });

async function failure(promise: Promise<unknown>): Promise<CardProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CardProviderError);
  return error as CardProviderError;
}

function json(status: number, body: unknown): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
}

describe('card provider HTTP client', () => {
  it('sends the API key and the idempotency key, and returns the JSON body', async () => {
    seen.length = 0;
    handler = (request, response) => json(201, { auth: request.headers.authorization })(request, response);
    await expect(
      client().send({ method: 'POST', path: '/v1/cards', body: {}, idempotencyKey: 'k-1' }),
    ).resolves.toEqual({
      auth: 'key',
    });
    expect(seen).toEqual([{ method: 'POST', url: '/v1/cards', key: 'k-1' }]);
  });

  it('answers a 4xx as a definite refusal carrying the provider code, without repeating', async () => {
    seen.length = 0;
    handler = json(422, { error: 'card_closed' });
    const error = await failure(
      client().send({ method: 'POST', path: '/v1/x', idempotencyKey: 'k-2', body: {} }),
    );
    expect(error).toMatchObject({ kind: 'not_retryable', reason: 'card_closed', status: 422 });
    expect(seen).toHaveLength(1);
  });

  it('repeats a keyed write after a 5xx, and reports ambiguous when every attempt failed that way', async () => {
    seen.length = 0;
    handler = json(503, { error: 'unavailable' });
    const error = await failure(
      client().send({ method: 'POST', path: '/v1/x', idempotencyKey: 'k-3', body: {} }),
    );
    expect(error.kind).toBe('ambiguous');
    expect(seen.map((request) => request.key)).toEqual(['k-3', 'k-3', 'k-3']);
  });

  it('recovers when the provider comes back within the attempts', async () => {
    seen.length = 0;
    let calls = 0;
    handler = (request, response) => {
      calls += 1;
      json(calls < 3 ? 500 : 200, { ok: calls })(request, response);
    };
    await expect(
      client().send({ method: 'POST', path: '/v1/x', idempotencyKey: 'k-4', body: {} }),
    ).resolves.toEqual({
      ok: 3,
    });
  });

  it('never repeats a write without a key: one 5xx is reported as ambiguous at once', async () => {
    seen.length = 0;
    handler = json(502, {});
    const error = await failure(client().send({ method: 'POST', path: '/v1/x', body: {} }));
    expect(error.kind).toBe('ambiguous');
    expect(seen).toHaveLength(1);
  });

  it('treats a timeout as ambiguous for a write and retryable for a read', async () => {
    handler = () => undefined; // never answers
    const write = await failure(client().send({ method: 'POST', path: '/v1/slow', body: {} }));
    expect(write).toMatchObject({ kind: 'ambiguous', reason: 'timeout' });
    const read = await failure(client().send({ method: 'GET', path: '/v1/slow' }));
    expect(read).toMatchObject({ kind: 'retryable', reason: 'timeout' });
  });

  it('treats a dropped connection on a write as ambiguous', async () => {
    handler = (request) => request.socket.destroy();
    const error = await failure(client().send({ method: 'POST', path: '/v1/drop', body: {} }));
    expect(error).toMatchObject({ kind: 'ambiguous', reason: 'network' });
  });

  it('treats a refused connection as retryable: the request never reached the provider', async () => {
    const unused = createServer();
    await new Promise<void>((resolve) => unused.listen(0, '127.0.0.1', resolve));
    const port = (unused.address() as AddressInfo).port;
    await new Promise<void>((resolve) => unused.close(() => resolve()));
    const closed = createHttpClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: 'k',
      attemptsMax: 2,
      backoffMsMax: 1,
    });
    const error = await failure(closed.send({ method: 'POST', path: '/v1/cards', body: {} }));
    expect(error.kind).toBe('retryable');
  });
});
