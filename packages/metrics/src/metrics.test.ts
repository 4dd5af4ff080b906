// Proves the shared metric parts do what the processes rely on: every series carries the process's `service` label
// beside the Node.js process metrics; a gauge read at scrape time answers its read, keeps its last value and counts
// a failure when the read fails or outlasts its bound (the scrape does not wait longer); the HTTP histogram labels a
// request with its route pattern, never the raw path, and a request no route matched as `unmatched`; the dependency
// gauge is 0 for a failing check.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  createHttpMetrics,
  createMetricsRegistry,
  createMetricsRoutes,
  createScrapeGauge,
  registerDependencyHealth,
} from './index.ts';
import { parseExposition, sampleValue } from './testing.ts';

async function scrape(app: Hono): Promise<string> {
  const response = await app.request('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

describe('the metrics registry and routes', () => {
  it('serves the process metrics and labels every series with the service', async () => {
    const registry = createMetricsRegistry({ service: 'probe' });
    const text = await scrape(createMetricsRoutes(registry));
    expect(text).toMatch(/^process_cpu_seconds_total\{service="probe"\} /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{service="probe"\} /m);
    const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(samples.filter((line) => !line.includes('service="probe"'))).toEqual([]);
  });

  it('reads a gauge at scrape time, within its bound, and keeps the last value when a read fails', async () => {
    const registry = createMetricsRegistry({ service: 'probe' });
    let next: () => Promise<number> = () => Promise.resolve(7);
    let reads = 0;
    createScrapeGauge({
      registry,
      name: 'cardgate_probe_depth',
      help: 'probe',
      readTimeoutMs: 200,
      read: () => {
        reads += 1;
        return next();
      },
    });
    expect(reads).toBe(0); // nothing is read until somebody scrapes
    const app = createMetricsRoutes(registry);
    expect(await scrape(app)).toMatch(/^cardgate_probe_depth\{service="probe"\} 7$/m);

    next = () => Promise.reject(new Error('database down'));
    const failures = { metric: 'cardgate_probe_depth' };
    let samples = parseExposition(await scrape(app));
    expect(sampleValue(samples, 'cardgate_probe_depth')).toBe(7);
    expect(sampleValue(samples, 'cardgate_metric_read_failures_total', failures)).toBe(1);

    next = () => new Promise(() => undefined); // never answers
    const startedAt = Date.now();
    samples = parseExposition(await scrape(app));
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(sampleValue(samples, 'cardgate_metric_read_failures_total', failures)).toBe(2);
    expect(reads).toBe(3);
  });

  it('replaces a labelled gauge with what the read returns', async () => {
    const registry = createMetricsRegistry({ service: 'probe' });
    let kinds: Record<string, number> = { a: 1, b: 2 };
    createScrapeGauge<'kind'>({
      registry,
      name: 'cardgate_probe_kinds',
      help: 'probe',
      labelNames: ['kind'],
      read: () =>
        Promise.resolve(Object.entries(kinds).map(([kind, value]) => ({ labels: { kind }, value }))),
    });
    const app = createMetricsRoutes(registry);
    expect(sampleValue(parseExposition(await scrape(app)), 'cardgate_probe_kinds', { kind: 'b' })).toBe(2);
    kinds = { a: 3 };
    const samples = parseExposition(await scrape(app));
    expect(sampleValue(samples, 'cardgate_probe_kinds', { kind: 'a' })).toBe(3);
    expect(sampleValue(samples, 'cardgate_probe_kinds', { kind: 'b' })).toBeUndefined();
  });

  it('labels HTTP requests with the route pattern, never the path', async () => {
    const registry = createMetricsRegistry({ service: 'probe' });
    const http = createHttpMetrics(registry);
    const app = new Hono();
    app.use('*', http.middleware);
    app.use('*', async (_context, next) => next());
    app.get('/v1/cards/:cardId', (context) => context.json({ id: context.req.param('cardId') }));
    app.route('/', createMetricsRoutes(registry));
    expect((await app.request('/v1/cards/card-123')).status).toBe(200);
    expect((await app.request('/v1/cards/card-456')).status).toBe(200);
    expect((await app.request('/nowhere/user-789')).status).toBe(404);
    const text = await scrape(app);
    const samples = parseExposition(text);
    const count = 'cardgate_http_request_duration_seconds_count';
    expect(sampleValue(samples, count, { method: 'GET', route: '/v1/cards/:cardId', status: '200' })).toBe(2);
    expect(sampleValue(samples, count, { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(samples.find((sample) => sample.name === count)?.labels.service).toBe('probe');
    expect(text).not.toMatch(/card-123|user-789/);
  });

  it('reports each dependency as 1 or 0 by its readiness check', async () => {
    const registry = createMetricsRegistry({ service: 'probe' });
    registerDependencyHealth(registry, () =>
      Promise.resolve({ database: 'ok', redis: 'failing: connection refused' }),
    );
    const samples = parseExposition(await scrape(createMetricsRoutes(registry)));
    expect(sampleValue(samples, 'cardgate_dependency_up', { dependency: 'database' })).toBe(1);
    expect(sampleValue(samples, 'cardgate_dependency_up', { dependency: 'redis' })).toBe(0);
  });
});
