// The readiness checks (@cardgate/health) as a gauge, asked when Prometheus scrapes: 1 while a dependency answers,
// 0 while it does not, so an alert can name the dependency (`up` only says the process answers).
import type { Registry } from 'prom-client';
import { createScrapeGauge } from './scrape-gauge.ts';

/** Runs the process's named checks, each within its own timeout, to "ok" or "failing: ...". */
export type RunHealthChecks = () => Promise<Readonly<Record<string, string>>>;

export function registerDependencyHealth(registry: Registry, runChecks: RunHealthChecks): void {
  createScrapeGauge<'dependency'>({
    registry,
    name: 'cardgate_dependency_up',
    help: 'Whether the process reaches a dependency (1) or not (0), by its readiness check',
    labelNames: ['dependency'],
    // The checks have their own 2 s bound each; this one only guards against a check that ignores it.
    readTimeoutMs: 5_000,
    read: async () =>
      Object.entries(await runChecks()).map(([dependency, result]) => ({
        labels: { dependency },
        value: result === 'ok' ? 1 : 0,
      })),
  });
}
