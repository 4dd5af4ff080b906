// Liveness (the process answers) and readiness (its dependencies answer) endpoints.
import { Hono } from 'hono';

export type HealthCheck = () => Promise<void>;

/** How long each readiness check may take before it counts as failing. */
export const healthCheckTimeoutMs = 2_000;

export function createHealthRoutes(checks: Readonly<Record<string, HealthCheck>>): Hono {
  const routes = new Hono();
  routes.get('/health/live', (context) => context.json({ status: 'ok' }));
  routes.get('/health', async (context) => {
    const results = await runHealthChecks(checks);
    const healthy = Object.values(results).every((result) => result === 'ok');
    return context.json({ status: healthy ? 'ok' : 'degraded', checks: results }, healthy ? 200 : 503);
  });
  return routes;
}

export async function runHealthChecks(
  checks: Readonly<Record<string, HealthCheck>>,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), healthCheckTimeoutMs);
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, `failing: ${(error as Error).message}`] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
