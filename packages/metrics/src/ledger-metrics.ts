// The ledger's group commits (the API and the worker each run a ledger): how many transfers a batch carries and how
// long it takes, retries included. Fed by the ledger's `onBatch` observer, so the ledger itself knows no metrics
// library; the observation is typed here by its shape.
import { Histogram, type Registry } from 'prom-client';

export interface LedgerBatchShape {
  readonly transfers: number;
  readonly durationMs: number;
  readonly outcome: 'committed' | 'failed';
}

/** Transfers per batch: 1 when idle, up to the commit bound (2,000 by default) under load. */
const batchTransfersBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000];
const batchDurationBucketsSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createLedgerBatchMetrics(registry: Registry): (batch: LedgerBatchShape) => void {
  const size = new Histogram({
    name: 'cardgate_ledger_batch_transfers',
    help: 'Transfers per ledger group commit',
    labelNames: ['outcome'],
    buckets: batchTransfersBuckets,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'cardgate_ledger_batch_duration_seconds',
    help: 'Time of one ledger group commit, from taking the batch to its commit or failure, retries included',
    labelNames: ['outcome'],
    buckets: batchDurationBucketsSeconds,
    registers: [registry],
  });
  return (batch) => {
    size.observe({ outcome: batch.outcome }, batch.transfers);
    duration.observe({ outcome: batch.outcome }, batch.durationMs / 1000);
  };
}
