// Request durations of a Hono app by method, route PATTERN and status. The route is the pattern the request matched
// ('/v1/cards/:cardId'), never the raw path, so the label set stays bounded and holds no user's ids; a request that
// matched no route is `unmatched`.
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Histogram, type Registry } from 'prom-client';

/** Seconds; from a cached read (a few ms) to the request time limit's neighbourhood. */
const durationBucketsSeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function createHttpMetrics(registry: Registry) {
  const duration = new Histogram({
    name: 'cardgate_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, from the first middleware to the response',
    labelNames: ['method', 'route', 'status'],
    buckets: durationBucketsSeconds,
    registers: [registry],
  });
  const middleware: MiddlewareHandler = async (context, next) => {
    const startedAt = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const method = knownMethods.has(context.req.method) ? context.req.method : 'OTHER';
      duration.observe({ method, route: routeOf(context), status: String(context.res.status) }, seconds);
    }
  };
  return { middleware, duration };
}

/**
 * The pattern of the handler that answered: a route's, or a middleware's that answered itself (an auth refusal is
 * labelled '/v1/*'). A 404 or 405 after only middlewares (`app.use`, method ALL) ran means no route matched.
 */
function routeOf(context: Parameters<MiddlewareHandler>[0]): string {
  const route = matchedRoutes(context)[context.req.routeIndex];
  const status = context.res.status;
  if (!route || (route.method === 'ALL' && (status === 404 || status === 405))) return 'unmatched';
  return route.path;
}

export type HttpMetrics = ReturnType<typeof createHttpMetrics>;
