// Proves the TRON node client tells its failures apart against a misbehaving HTTP node: a rate limit with its
// Retry-After, server and client errors, `{"Error"}` answers, bodies that are not JSON or not a block, a node that
// never answers (bounded by the timeout), an answer over the size bound (declared or streamed), a refused
// connection, and a kept-alive connection the node dropped, which is retried once on a fresh one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTronNodeClient, TronNodeError } from './node-client.ts';

const header = {
  blockID: `${'0'.repeat(15)}7${'ab'.repeat(24)}`,
  block_header: { raw_data: { number: 7, parentHash: 'cd'.repeat(32), timestamp: 1_700_000_000_000 } },
};

type Behaviour = (request: http.IncomingMessage, response: http.ServerResponse) => void;
let behaviour: Behaviour = (_request, response) => response.end(JSON.stringify(header));
const requestsPerSocket = new WeakMap<object, number>();
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const seen = (requestsPerSocket.get(request.socket) ?? 0) + 1;
    requestsPerSocket.set(request.socket, seen);
    request.resume();
    request.on('end', () => behaviour(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function answer(status: number, body: string, headers: Record<string, string> = {}): Behaviour {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body);
  };
}

async function failure(promise: Promise<unknown>): Promise<TronNodeError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TronNodeError);
  return error as TronNodeError;
}

const client = (options: { timeoutMs?: number; responseBytesMax?: number } = {}) =>
  createTronNodeClient({ baseUrl, timeoutMs: options.timeoutMs ?? 2_000, ...options });

describe('the TRON node client', () => {
  it('reads a block header', async () => {
    behaviour = answer(200, JSON.stringify(header));
    expect((await client().blockHeader(7))?.blockID).toBe(header.blockID);
    behaviour = answer(200, '{}');
    expect(await client().blockHeader(8)).toBeUndefined();
  });

  it('reports a rate limit with the Retry-After it was given, or one second', async () => {
    behaviour = answer(429, '{}', { 'retry-after': '3' });
    const limited = await failure(client().latestHeader());
    expect([limited.kind, limited.retryAfterMs]).toEqual(['rate_limited', 3_000]);
    behaviour = answer(429, '{}');
    expect((await failure(client().latestHeader())).retryAfterMs).toBe(1_000);
  });

  it('tells server errors, client errors and Error answers apart', async () => {
    behaviour = answer(503, 'busy');
    expect((await failure(client().latestHeader())).kind).toBe('server_error');
    behaviour = answer(404, 'no');
    expect((await failure(client().latestHeader())).kind).toBe('client_error');
    behaviour = answer(200, '{"Error":"class java.lang.NullPointerException : null"}');
    const refused = await failure(client().transactionInfoByBlock(1));
    expect([refused.kind, refused.message]).toEqual([
      'client_error',
      'wallet/gettransactioninfobyblocknum: class java.lang.NullPointerException : null',
    ]);
  });

  it('refuses a body that is not JSON, or not the shape asked for', async () => {
    behaviour = answer(200, '<html>gateway</html>');
    expect((await failure(client().latestHeader())).kind).toBe('malformed');
    behaviour = answer(200, JSON.stringify({ blockID: 'short', block_header: {} }));
    expect((await failure(client().latestHeader())).kind).toBe('malformed');
    behaviour = answer(200, JSON.stringify([{ log: 'not a list' }]));
    expect((await failure(client().transactionInfoByBlock(1))).kind).toBe('malformed');
  });

  it('gives up on a node that never answers when the timeout is over', async () => {
    behaviour = () => undefined;
    const started = Date.now();
    const timedOut = await failure(client({ timeoutMs: 200 }).latestHeader());
    expect(timedOut.kind).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('refuses an answer over the size bound, declared or streamed', async () => {
    const big = JSON.stringify([{ id: 'a'.repeat(5_000) }]);
    behaviour = answer(200, big);
    expect((await failure(client({ responseBytesMax: 1_000 }).transactionInfoByBlock(1))).kind).toBe(
      'malformed',
    );
    behaviour = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(big.slice(0, 3_000));
      response.end(big.slice(3_000));
    };
    expect((await failure(client({ responseBytesMax: 1_000 }).transactionInfoByBlock(1))).kind).toBe(
      'malformed',
    );
  });

  it('reports a refused connection as a network failure', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await failure(
      createTronNodeClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2_000 }).latestHeader(),
    );
    expect(refused.kind).toBe('network');
  });

  it('retries once on a fresh connection when the node dropped a kept-alive one, and only then', async () => {
    // The node answers the first request on each connection and drops the connection on the second.
    behaviour = (request, response) => {
      if (requestsPerSocket.get(request.socket) === 1) response.end(JSON.stringify(header));
      else request.socket.destroy();
    };
    const reused = client();
    expect((await reused.blockHeader(7))?.blockID).toBe(header.blockID);
    expect((await reused.blockHeader(7))?.blockID).toBe(header.blockID);

    // A connection dropped on its first request is not retried: nothing says the node did not see it.
    behaviour = (request) => request.socket.destroy();
    expect((await failure(client().blockHeader(7))).kind).toBe('network');
  });
});
