// The worker process's Prometheus series, beside the shared ones (process metrics, dependency health, ledger
// batches): workflow outcomes by workflow type, the notifications queue's jobs by state (BullMQ counts), and the last
// stored reconciliation run: when it finished, whether it failed, and its findings by kind. The queue and the run are
// read only when Prometheus scrapes.
import {
  Counter,
  createLedgerBatchMetrics,
  createMetricsRegistry,
  createScrapeGauge,
  registerDependencyHealth,
  type RunHealthChecks,
} from '@cardgate/metrics';
import type { OutcomeRecorder } from './worker.ts';

/** The queue states worth a series: what waits, runs, waits out a backoff, and what failed for good. */
export const queueStates = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof queueStates)[number];

export interface LastRunFigures {
  readonly finishedAtSeconds: number;
  readonly status: 'clean' | 'differences' | 'failed';
  readonly findings: readonly { comparison: string; category: string; kind: string; count: number }[];
}

export interface WorkerMetricsSources {
  readonly runHealthChecks: RunHealthChecks;
  /** BullMQ's getJobCounts of the notifications queue. */
  readonly notificationJobCounts: (...states: QueueState[]) => Promise<Record<string, number>>;
  /** The latest finished reconciliation run, or null before the first (absent: no reconciliation configured). */
  readonly lastReconciliationRun?: () => Promise<LastRunFigures | null>;
}

export function createWorkerMetrics(sources: WorkerMetricsSources) {
  const registry = createMetricsRegistry({ service: 'worker' });
  registerDependencyHealth(registry, sources.runHealthChecks);
  const outcomes = new Counter({
    name: 'cardgate_workflow_outcomes_total',
    help: 'Workflow ends (completed, failed, cancelled) and stops for an operator (needs_operator, compensation_failed), by workflow type',
    labelNames: ['workflow', 'outcome'],
    registers: [registry],
  });
  createScrapeGauge<'state'>({
    registry,
    name: 'cardgate_notification_queue_jobs',
    help: 'Jobs of the notifications queue (BullMQ) by state',
    labelNames: ['state'],
    read: async () => {
      const counts = await sources.notificationJobCounts(...queueStates);
      return queueStates.map((state) => ({ labels: { state }, value: counts[state] ?? 0 }));
    },
  });
  const { lastReconciliationRun } = sources;
  if (lastReconciliationRun) {
    // One read per scrape serves the three gauges.
    let reading: Promise<LastRunFigures | null> | undefined;
    const lastRun = () => {
      reading ??= lastReconciliationRun().finally(() => (reading = undefined));
      return reading;
    };
    createScrapeGauge({
      registry,
      name: 'cardgate_reconciliation_last_run_timestamp_seconds',
      help: 'When the latest reconciliation run finished (Unix time; 0 before the first)',
      read: async () => (await lastRun())?.finishedAtSeconds ?? 0,
    });
    createScrapeGauge({
      registry,
      name: 'cardgate_reconciliation_last_run_failed',
      help: '1 when the latest reconciliation run could not finish its comparisons, else 0',
      read: async () => ((await lastRun())?.status === 'failed' ? 1 : 0),
    });
    createScrapeGauge<'comparison' | 'category' | 'kind'>({
      registry,
      name: 'cardgate_reconciliation_findings',
      help: 'Findings of the latest reconciliation run by comparison, category (difference, in_flight) and kind',
      labelNames: ['comparison', 'category', 'kind'],
      read: async () =>
        ((await lastRun())?.findings ?? []).map(({ count, ...labels }) => ({ labels, value: count })),
    });
  }
  const recordOutcome: OutcomeRecorder = (workflow, outcome) => outcomes.inc({ workflow, outcome });
  return { registry, recordOutcome, ledgerObserver: createLedgerBatchMetrics(registry) };
}
