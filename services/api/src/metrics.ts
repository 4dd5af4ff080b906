// The API process's Prometheus series, beside the shared ones (HTTP request durations, process metrics, dependency
// health, ledger batches): the card-event dispatcher's backlog, read from card_event when Prometheus scrapes.
import {
  createHttpMetrics,
  createLedgerBatchMetrics,
  createMetricsRegistry,
  createScrapeGauge,
  registerDependencyHealth,
  type RunHealthChecks,
} from '@cardgate/metrics';

/** A scrape counts at most this many waiting events (beyond it the gauge says "at least this many"). */
const backlogCountMax = 100_000;

export interface ApiMetricsSources {
  readonly cardEventBacklog: (
    countMax: number,
  ) => Promise<{ count: number; oldestAgeSeconds: number | null }>;
  readonly runHealthChecks: RunHealthChecks;
}

export function createApiMetrics(sources: ApiMetricsSources) {
  const registry = createMetricsRegistry({ service: 'api' });
  const http = createHttpMetrics(registry);
  registerDependencyHealth(registry, sources.runHealthChecks);
  // One read per scrape serves both gauges.
  let backlogRead: Promise<{ count: number; oldestAgeSeconds: number | null }> | undefined;
  const backlog = () => {
    backlogRead ??= sources.cardEventBacklog(backlogCountMax).finally(() => (backlogRead = undefined));
    return backlogRead;
  };
  createScrapeGauge({
    registry,
    name: 'cardgate_card_event_backlog',
    help: 'Card provider events stored and not yet handed to Temporal (the dispatcher sweeps them)',
    read: async () => (await backlog()).count,
  });
  createScrapeGauge({
    registry,
    name: 'cardgate_card_event_backlog_oldest_age_seconds',
    help: 'Age of the oldest card provider event not yet handed to Temporal (0 when none waits)',
    read: async () => (await backlog()).oldestAgeSeconds ?? 0,
  });
  return { registry, http, ledgerObserver: createLedgerBatchMetrics(registry) };
}
