// The watcher's Prometheus series: chain position (head, solidified head, processed block, lag), the outbox's depth
// (read when Prometheus scrapes), deposits seen, final and orphaned, hand-overs and their latency, errors, and whether
// this process leads. Served as text on /metrics of the health server; `position()` gives the chain figures in
// process (bench:watcher waits on them).
import { Counter, Gauge, Histogram, createScrapeGauge, type Registry } from '@cardgate/metrics';
import type { StepResult } from './follower.ts';
import type { DispatchResult } from './outbox-dispatcher.ts';

/** From a hand-over in the same step (tens of ms) to one that waited out a Temporal outage. */
const handOverBucketsSeconds = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export interface WatcherMetricsOptions {
  readonly registry: Registry;
  /** Outbox rows committed and not yet handed over; read only when Prometheus scrapes. */
  readonly outboxDepth?: () => Promise<number>;
}

export function createWatcherMetrics(options: WatcherMetricsOptions) {
  const { registry } = options;
  const registers = [registry];
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
  const counter = (name: string, help: string) => new Counter({ name, help, registers });
  const leader = gauge('cardgate_watcher_leader', '1 while this watcher holds the leader lock, else 0');
  const head = gauge('cardgate_watcher_head_block', 'The chain head the watcher last saw');
  const solidified = gauge('cardgate_watcher_solidified_block', 'The solidified (final) head last seen');
  const processed = gauge('cardgate_watcher_processed_block', 'The last block the watcher has processed');
  const lag = gauge('cardgate_watcher_lag_blocks', 'Blocks between the head and the last processed block');
  const seen = counter('cardgate_watcher_deposits_seen_total', 'Deposits to our addresses seen in a block');
  const final = counter('cardgate_watcher_deposits_final_total', 'Deposits that reached finality');
  const orphaned = counter(
    'cardgate_watcher_deposits_orphaned_total',
    'Deposits whose block a reorg removed',
  );
  const handOvers = counter('cardgate_watcher_hand_overs_total', 'Outbox events handed to Temporal');
  const errors = counter(
    'cardgate_watcher_errors_total',
    'Failed follow steps and hand-over passes (retried)',
  );
  const handOverLatency = new Histogram({
    name: 'cardgate_watcher_hand_over_latency_seconds',
    help: "From an outbox row's commit to its delivery to Temporal",
    buckets: handOverBucketsSeconds,
    registers,
  });
  if (options.outboxDepth)
    createScrapeGauge({
      registry,
      name: 'cardgate_watcher_outbox_depth',
      help: 'Deposit outbox events committed and not yet handed to Temporal (counted up to 100,000)',
      read: options.outboxDepth,
    });
  leader.set(0);
  let position = { headBlock: 0, solidifiedBlock: 0, processedBlock: 0 };
  return {
    setLeader(value: boolean): void {
      leader.set(value ? 1 : 0);
    },
    recordStep(step: StepResult): void {
      position = {
        headBlock: step.headNumber,
        solidifiedBlock: step.solidifiedNumber,
        processedBlock: step.cursorNumber,
      };
      head.set(step.headNumber);
      solidified.set(step.solidifiedNumber);
      processed.set(step.cursorNumber);
      lag.set(Math.max(step.headNumber - step.cursorNumber, 0));
      seen.inc(step.depositsSeen);
      final.inc(step.depositsFinalized);
      orphaned.inc(step.depositsOrphaned);
    },
    recordDispatch(result: DispatchResult): void {
      handOvers.inc(result.dispatched);
      for (const latencyMs of result.latenciesMs) handOverLatency.observe(latencyMs / 1000);
    },
    recordError(): void {
      errors.inc();
    },
    /** The chain figures of the last step, in process. */
    position: () => position,
  };
}

export type WatcherMetrics = ReturnType<typeof createWatcherMetrics>;
