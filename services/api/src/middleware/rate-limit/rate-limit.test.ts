// Proves the rate limits on the real Redis: past a caller's read budget the API answers 429 problem+json with
// Retry-After; writes have their own, tighter budget; the per-IP budget applies before authentication; another user
// is not affected by one user's exhausted budget.
import { describe, expect, it } from 'vitest';
import { bodyOf, tmaHeader, useTestApi } from '../../testing.ts';

const api = useTestApi({
  rateLimits: {
    readsPerCaller: { points: 3, windowSeconds: 60 },
    writesPerCaller: { points: 1, windowSeconds: 60 },
    requestsPerIp: { points: 1_000, windowSeconds: 60 },
  },
  clientIp: (context) => context.req.header('x-test-ip') ?? 'test',
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the read budget, per user', async () => {
    const alice = { authorization: tmaHeader({ id: 9201 }) };
    for (let request = 0; request < 3; request += 1)
      expect((await api.app.request('/v1/me', { headers: alice })).status).toBe(200);
    const limited = await api.app.request('/v1/me', { headers: alice });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('content-type')).toBe('application/problem+json');
    expect(await bodyOf(limited)).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(
      (await api.app.request('/v1/me', { headers: { authorization: tmaHeader({ id: 9202 }) } })).status,
    ).toBe(200);
  });

  it('counts writes against their own tighter budget', async () => {
    const carol = { authorization: tmaHeader({ id: 9203 }), 'content-type': 'application/json' };
    // The write budget is 1: the first write passes the limiter (and is refused by routing), the second is limited.
    const first = await api.app.request('/v1/me', { method: 'POST', headers: carol, body: '{}' });
    expect(first.status).not.toBe(429);
    const second = await api.app.request('/v1/me', { method: 'POST', headers: carol, body: '{}' });
    expect(second.status).toBe(429);
    expect((await api.app.request('/v1/me', { headers: carol })).status).toBe(200);
  });
});

const perIp = useTestApi({
  rateLimits: {
    readsPerCaller: { points: 1_000, windowSeconds: 60 },
    writesPerCaller: { points: 1_000, windowSeconds: 60 },
    requestsPerIp: { points: 2, windowSeconds: 60 },
  },
  clientIp: (context) => context.req.header('x-test-ip') ?? 'test',
});

describe('per-IP limit', () => {
  it('limits an address before authentication', async () => {
    const from = (ip: string) => perIp.app.request('/v1/me', { headers: { 'x-test-ip': ip } });
    expect((await from('10.0.0.1')).status).toBe(401);
    expect((await from('10.0.0.1')).status).toBe(401);
    expect((await from('10.0.0.1')).status).toBe(429);
    expect((await from('10.0.0.2')).status).toBe(401);
  });

  it('limits a signed-in caller by address too: the route does not run past the address budget', async () => {
    // The address's budget is answered together with the caller's (one round trip); this proves the route still
    // waits for it: the third request from the address is 429, and a write refused so creates nothing.
    const headers = { authorization: tmaHeader({ id: 9204 }), 'x-test-ip': '10.0.0.3' };
    expect((await perIp.app.request('/v1/me', { headers })).status).toBe(200);
    expect((await perIp.app.request('/v1/me', { headers })).status).toBe(200);
    const refused = await perIp.app.request('/v1/cards', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': 'ip-limited-issue' },
      body: '{}',
    });
    expect(refused.status).toBe(429);
    expect(await bodyOf(refused)).toMatchObject({
      code: 'rate_limited',
      details: { limit: 'requests from this address' },
    });
    const otherAddress = await perIp.app.request('/v1/cards', {
      headers: { ...headers, 'x-test-ip': '10.0.0.4' },
    });
    expect(await bodyOf(otherAddress)).toMatchObject({ items: [] });
  });
});
