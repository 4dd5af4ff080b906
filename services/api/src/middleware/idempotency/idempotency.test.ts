// Proves Idempotency-Key on the real PostgreSQL with a money-moving route of the test's own: a missing key is 400 and
// a body that fails validation stores nothing; the first response is stored and a repeat replays it with
// Idempotent-Replayed: true without running the handler again; the same key with another body is 422; a repeat
// while the first still runs is 409; keys are per caller; a retryable failure releases the key; a request whose
// process died (its lease ran out) is taken over by the next repeat.
import { describe, expect, it } from 'vitest';
import { createRoute, z } from '@hono/zod-openapi';
import { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '@cardgate/errors';
import { sql } from '@cardgate/db';
import { testLogger, useTestDatabase } from '@cardgate/test-harness';
import type { User } from '@cardgate/users';
import { z as plainZod } from 'zod';
import { handleError } from '../../lib/problem.ts';
import { validationHook } from '../../lib/router.ts';
import { amountInput } from '../../lib/schemas.ts';
import type { AppEnv } from '../../lib/types.ts';
import { createIdempotency, requireIdempotencyKey } from './idempotency.ts';
import { createIdempotencyStore } from './idempotency-store.ts';

const database = useTestDatabase();
const logger = testLogger('idempotency');

const payRoute = createRoute({
  method: 'post',
  path: '/pay',
  middleware: [requireIdempotencyKey] as const,
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ amount: amountInput() }) } },
    },
  },
  responses: { 201: { description: 'paid' } },
});

function buildApp(options: {
  leaseMs?: number;
  handle: (key: string) => Promise<{ status: number; body: unknown }>;
}) {
  const idempotent = createIdempotency(
    createIdempotencyStore(database.pool, { retentionMs: 86_400_000, leaseMs: options.leaseMs ?? 60_000 }),
  );
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', async (c, next) => {
    c.set('requestId', 'test');
    c.set('logger', logger);
    c.set('user', { id: c.req.header('x-user') ?? 'usr_aaaaaaaaaaaaaaaa' } as User);
    await next();
  });
  app.openapi(payRoute, (c) => idempotent(c, options.handle) as never);
  app.onError(handleError);
  return app;
}

const pay = (app: ReturnType<typeof buildApp>, key: string | undefined, amount: unknown, user?: string) =>
  app.request('/pay', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
      ...(user ? { 'x-user': user } : {}),
    },
    body: JSON.stringify({ amount }),
  });

const rowsFor = (key: string) =>
  database.pool.oneFirst(
    sql.type(
      plainZod.object({ n: plainZod.number() }),
    )`select count(*)::int4 as n from api_idempotency where key = ${key}`,
  );

describe('Idempotency-Key', () => {
  it('refuses a missing key (400) and stores nothing for a body that fails validation (422)', async () => {
    let runs = 0;
    const app = buildApp({ handle: async () => ({ status: 201, body: { run: ++runs } }) });
    const missing = await pay(app, undefined, '1.5');
    expect(missing.status).toBe(400);
    expect((await missing.json()) as object).toMatchObject({ reason: 'idempotency_key_missing' });
    const numeric = await pay(app, 'k-invalid', 1.5);
    expect(numeric.status).toBe(422);
    expect(await rowsFor('k-invalid')).toBe(0);
    expect(runs).toBe(0);
  });

  it('replays the stored response without running again, and refuses the key with another body', async () => {
    let runs = 0;
    const app = buildApp({ handle: async () => ({ status: 201, body: { run: ++runs } }) });
    const first = await pay(app, 'k-replay', '1.5');
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ run: 1 });
    const again = await pay(app, 'k-replay', '1.5');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual({ run: 1 });
    const other = await pay(app, 'k-replay', '2');
    expect(other.status).toBe(422);
    expect((await other.json()) as object).toMatchObject({ reason: 'idempotency_key_reused' });
    expect(runs).toBe(1);
    // Another caller's key of the same name is its own.
    const otherUser = await pay(app, 'k-replay', '2', 'usr_bbbbbbbbbbbbbbbb');
    expect(otherUser.status).toBe(201);
    expect(runs).toBe(2);
  });

  it('answers 409 to a repeat while the first is still running', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = buildApp({
      handle: async () => {
        await gate;
        return { status: 201, body: { done: true } };
      },
    });
    const first = pay(app, 'k-running', '3');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const repeat = await pay(app, 'k-running', '3');
    expect(repeat.status).toBe(409);
    expect((await repeat.json()) as object).toMatchObject({ reason: 'idempotency_key_in_use' });
    release();
    expect((await first).status).toBe(201);
  });

  it('stores a business refusal, but releases the key after a retryable failure', async () => {
    let runs = 0;
    const app = buildApp({
      handle: async () => {
        runs += 1;
        if (runs === 1) throw new AppError('unavailable', 'temporal is down');
        if (runs === 2)
          throw new AppError('rule_violation', 'insufficient funds', { reason: 'insufficient_funds' });
        return { status: 201, body: {} };
      },
    });
    expect((await pay(app, 'k-retry', '4')).status).toBe(503);
    const refused = await pay(app, 'k-retry', '4');
    expect(refused.status).toBe(422);
    const replayed = await pay(app, 'k-retry', '4');
    expect(replayed.status).toBe(422);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.headers.get('content-type')).toBe('application/problem+json');
    expect(runs).toBe(2);
  });

  it('lets a repeat take over a request whose lease ran out (its process died)', async () => {
    const store = createIdempotencyStore(database.pool, { retentionMs: 86_400_000, leaseMs: 50 });
    // The first process claimed the key and died before completing.
    const fingerprintApp = buildApp({
      leaseMs: 50,
      handle: async () => ({ status: 201, body: { takenOver: true } }),
    });
    const claim = await store.claim('user:usr_aaaaaaaaaaaaaaaa', 'k-dead', 'f'.repeat(64));
    expect(claim.kind).toBe('claimed');
    await database.pool.query(
      sql.type(
        plainZod.object({}),
      )`update api_idempotency set fingerprint = ${await fingerprintOf('4')} where key = 'k-dead'`,
    );
    await new Promise((resolve) => setTimeout(resolve, 80));
    const repeat = await pay(fingerprintApp, 'k-dead', '4');
    expect(repeat.status).toBe(201);
    expect(await repeat.json()).toEqual({ takenOver: true });
  });
});

async function fingerprintOf(amount: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256')
    .update(`POST\n/pay\n${JSON.stringify({ amount })}`)
    .digest('hex');
}
