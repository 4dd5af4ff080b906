// The watcher's figures: chain position, lag, deposits seen and final, hand-over latency. Exposed as JSON on
// /metrics of the health server.
import type { StepResult } from './follower.ts';
import type { DispatchResult } from './outbox-dispatcher.ts';

const latencySamplesMax = 10_000;

export function createWatcherMetrics() {
  let leader = false;
  let headNumber = 0;
  let solidifiedNumber = 0;
  let processedNumber = 0;
  let depositsSeen = 0;
  let depositsFinalized = 0;
  let depositsOrphaned = 0;
  let handOvers = 0;
  let errors = 0;
  let latenciesMs: number[] = [];
  return {
    setLeader(value: boolean): void {
      leader = value;
    },
    recordStep(step: StepResult): void {
      headNumber = step.headNumber;
      solidifiedNumber = step.solidifiedNumber;
      processedNumber = step.cursorNumber;
      depositsSeen += step.depositsSeen;
      depositsFinalized += step.depositsFinalized;
      depositsOrphaned += step.depositsOrphaned;
    },
    recordDispatch(result: DispatchResult): void {
      handOvers += result.dispatched;
      latenciesMs.push(...result.latenciesMs);
      if (latenciesMs.length > latencySamplesMax) latenciesMs = latenciesMs.slice(-latencySamplesMax);
    },
    recordError(): void {
      errors += 1;
    },
    snapshot() {
      return {
        leader,
        headBlock: headNumber,
        solidifiedBlock: solidifiedNumber,
        processedBlock: processedNumber,
        lagBlocks: Math.max(headNumber - processedNumber, 0),
        depositsSeen,
        depositsFinalized,
        depositsOrphaned,
        handOvers,
        errors,
        handOverLatencyMsP50: percentile(latenciesMs, 0.5),
        handOverLatencyMsP99: percentile(latenciesMs, 0.99),
      };
    },
  };
}

export function percentile(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

export type WatcherMetrics = ReturnType<typeof createWatcherMetrics>;
