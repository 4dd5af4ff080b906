// GET /metrics in the Prometheus text format, for the API's app and the other processes' health servers.
import { Hono } from 'hono';
import type { Registry } from 'prom-client';

export function createMetricsRoutes(registry: Registry): Hono {
  return new Hono().get('/metrics', async (context) => {
    const text = await registry.metrics();
    return context.body(text, 200, { 'content-type': registry.contentType });
  });
}
