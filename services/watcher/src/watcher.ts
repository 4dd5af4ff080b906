// The watcher's main loop: wait for leadership, then alternate following the chain and dispatching the outbox until
// stopped or leadership is lost. Node errors back off exponentially up to a bound; invariant violations stop it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@cardgate/config';
import type { Follower, StepResult } from './follower.ts';
import { ReorgTooDeepError } from './follower.ts';
import { CursorMovedError, FinalityViolatedError } from './deposit-store.ts';
import type { OutboxDispatcher } from './outbox-dispatcher.ts';
import type { LeaderLock } from './leader-lock.ts';
import type { WatcherMetrics } from './metrics.ts';

export interface WatcherLoopOptions {
  readonly follower: Follower;
  readonly dispatcher: OutboxDispatcher;
  readonly leaderLock: LeaderLock;
  readonly metrics: WatcherMetrics;
  readonly logger: Logger;
  /** Pause between steps once caught up with the head. */
  readonly idlePollMs: number;
  /** Pause between attempts to become leader. */
  readonly standbyPollMs: number;
  readonly backoffMsMin: number;
  readonly backoffMsMax: number;
}

/** Errors that mean something is wrong beyond a flaky node: stop and let an operator look. */
function isFatal(error: unknown): boolean {
  return error instanceof ReorgTooDeepError || error instanceof FinalityViolatedError;
}

export function createWatcherLoop(options: WatcherLoopOptions) {
  const { follower, dispatcher, leaderLock, metrics, logger } = options;

  async function lead(signal: AbortSignal): Promise<void> {
    let backoffMs = options.backoffMsMin;
    while (!signal.aborted) {
      if (!(await leaderLock.stillHeld())) {
        logger.warn('leadership lost');
        return;
      }
      let step: StepResult | undefined;
      try {
        step = await follower.step();
        metrics.recordStep(step);
        const dispatched = await dispatcher.dispatchOnce();
        metrics.recordDispatch(dispatched);
        backoffMs = options.backoffMsMin;
      } catch (error) {
        if (isFatal(error)) throw error;
        if (error instanceof CursorMovedError) {
          logger.warn({ err: error }, 'another watcher moved the cursor; stepping down');
          return;
        }
        metrics.recordError();
        logger.warn({ err: error, backoffMs }, 'watcher step failed; backing off');
        await sleep(backoffMs, undefined, { signal }).catch(() => undefined);
        backoffMs = Math.min(backoffMs * 2, options.backoffMsMax);
        continue;
      }
      if (step.caughtUp) await sleep(options.idlePollMs, undefined, { signal }).catch(() => undefined);
    }
  }

  return {
    /** Runs until `signal` aborts; rejects only on a fatal error. */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        let acquired = false;
        try {
          acquired = await leaderLock.tryAcquire();
        } catch (error) {
          logger.warn({ err: error }, 'could not reach the database for the leader lock');
        }
        metrics.setLeader(acquired);
        if (!acquired) {
          await sleep(options.standbyPollMs, undefined, { signal }).catch(() => undefined);
          continue;
        }
        logger.info('leading: following the chain');
        try {
          await lead(signal);
        } finally {
          metrics.setLeader(false);
          await leaderLock.release();
        }
      }
    },
  };
}
