// One Prometheus registry per process: the Node.js process metrics (CPU, memory, event loop lag, GC) and every
// Cardgate series carry a `service` label naming the process, so one Prometheus can scrape all of them apart.
import { collectDefaultMetrics, Registry } from 'prom-client';

export type { Registry } from 'prom-client';

/** Every Cardgate series starts with this (the process metrics keep the client's standard names). */
export const metricPrefix = 'cardgate_';

export function createMetricsRegistry(options: { readonly service: string }): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
