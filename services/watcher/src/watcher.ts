// The watcher's main loop: wait for leadership, then alternate following the chain and dispatching the outbox until
// stopped or leadership is lost. Node errors back off exponentially up to a bound; invariant violations stop it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@cardgate/config';
import type { Follower } from './follower.ts';
import { ReorgTooDeepError } from './follower.ts';
import { CursorMovedError, FinalityViolatedError } from '@cardgate/deposit-store';
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

  /**
   * Follows the chain and dispatches the outbox in two concurrent loops while this process leads: catching up is
   * never held back by slow hand-overs, and a committed final deposit is handed over at once (the follower wakes the
   * dispatcher) instead of after the next poll.
   */
  async function lead(signal: AbortSignal): Promise<void> {
    const leading = new AbortController();
    const stopLeading = (): void => leading.abort();
    signal.addEventListener('abort', stopLeading, { once: true });
    let wakeDispatcher: (() => void) | undefined;
    const dispatcherWait = (timeoutMs: number): Promise<void> =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        wakeDispatcher = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    let fatal: Error | undefined;

    const followLoop = async (): Promise<void> => {
      let backoffMs = options.backoffMsMin;
      while (!leading.signal.aborted) {
        if (!(await leaderLock.stillHeld())) {
          logger.warn('leadership lost');
          return leading.abort();
        }
        try {
          const step = await follower.step();
          metrics.recordStep(step);
          backoffMs = options.backoffMsMin;
          if (step.depositsSeen + step.depositsFinalized + step.depositsOrphaned > 0) wakeDispatcher?.();
          if (step.caughtUp)
            await sleep(options.idlePollMs, undefined, { signal: leading.signal }).catch(() => undefined);
        } catch (error) {
          if (isFatal(error)) {
            fatal = error as Error;
            return leading.abort();
          }
          if (error instanceof CursorMovedError) {
            logger.warn({ err: error }, 'another watcher moved the cursor; stepping down');
            return leading.abort();
          }
          metrics.recordError();
          logger.warn({ err: error, backoffMs }, 'watcher step failed; backing off');
          await sleep(backoffMs, undefined, { signal: leading.signal }).catch(() => undefined);
          backoffMs = Math.min(backoffMs * 2, options.backoffMsMax);
        }
      }
    };

    const dispatchLoop = async (): Promise<void> => {
      let backoffMs = options.backoffMsMin;
      while (!leading.signal.aborted) {
        try {
          const result = await dispatcher.dispatchOnce();
          metrics.recordDispatch(result);
          backoffMs = options.backoffMsMin;
          if (result.dispatched === 0) await dispatcherWait(options.idlePollMs);
        } catch (error) {
          metrics.recordError();
          logger.warn({ err: error, backoffMs }, 'hand-over failed; backing off');
          await sleep(backoffMs, undefined, { signal: leading.signal }).catch(() => undefined);
          backoffMs = Math.min(backoffMs * 2, options.backoffMsMax);
        }
      }
    };

    try {
      await Promise.all([
        followLoop(),
        dispatchLoop(),
        new Promise<void>((resolve) =>
          leading.signal.addEventListener(
            'abort',
            () => {
              wakeDispatcher?.();
              resolve();
            },
            { once: true },
          ),
        ),
      ]);
    } finally {
      signal.removeEventListener('abort', stopLeading);
    }
    if (fatal) throw fatal;
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
