// Work a request starts but does not wait for before answering: today the card load workflow's start, which follows
// the load's durable writes (the load row, the wallet's pending debit). Its answer (202) then depends on PostgreSQL
// only, not on Temporal's latency or availability: measured by bench:api, the dev server's StartWorkflowExecution
// alone had a p99 of 44–240 ms at 50 starts a second on this machine, over the route's whole budget.
// Bounded three ways: at most `inFlightMax` running (past it the request waits for its own work, as it did before:
// backpressure instead of an unbounded queue), at most `attemptsMax` tries each, and a time-limited drain at
// shutdown. Work that still fails is logged and left to its sweep (the card load sweep starts the workflow of any
// load left holding), so nothing depends on this process staying up.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@cardgate/config';

export interface AfterResponseSettings {
  readonly inFlightMax: number;
  readonly attemptsMax: number;
  /** The wait before the second try, doubled before each later one. */
  readonly retryDelayMs: number;
}

export const defaultAfterResponseSettings: AfterResponseSettings = {
  inFlightMax: 1_000,
  attemptsMax: 5,
  retryDelayMs: 200,
};

export function createAfterResponse(logger: Logger, settings = defaultAfterResponseSettings) {
  const running = new Set<Promise<void>>();

  async function withRetries(name: string, task: () => Promise<void>): Promise<void> {
    for (let attempt = 1; attempt <= settings.attemptsMax; attempt += 1) {
      try {
        await task();
        return;
      } catch (error) {
        if (attempt === settings.attemptsMax) {
          logger.error(
            { err: error, work: name, attempts: attempt },
            'work after the response failed; left to its sweep',
          );
          return;
        }
        logger.warn({ err: error, work: name, attempt }, 'work after the response failed; trying again');
        await sleep(settings.retryDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  return {
    /**
     * Starts `task` without waiting for it (tried up to attemptsMax times). When inFlightMax are already running,
     * runs it once now and returns (or throws) its outcome: the caller answers only once it is done.
     */
    async run(name: string, task: () => Promise<void>): Promise<void> {
      if (running.size >= settings.inFlightMax) return task();
      const work = withRetries(name, task).finally(() => running.delete(work));
      running.add(work);
    },

    get inFlight(): number {
      return running.size;
    },

    /** Waits for the running work, at most `timeoutMs`; true when all of it ended. */
    async drain(timeoutMs: number): Promise<boolean> {
      const all = Promise.all([...running]).then(() => true);
      return Promise.race([all, sleep(timeoutMs).then(() => running.size === 0)]);
    },
  };
}

export type AfterResponse = ReturnType<typeof createAfterResponse>;
