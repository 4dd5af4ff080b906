// Turns Cardgate's errors into Temporal activity failures with a stable `type`, so workflows branch on what happened
// and Temporal retries only what may succeed later: business refusals are non-retryable, transient and ambiguous
// provider failures are retried (with the same idempotency key, which makes a repeat safe).
import { ApplicationFailure, Context } from '@temporalio/activity';
import { isAppError } from '@cardgate/errors';
import { CardProviderError, type ProviderFailureKind } from '@cardgate/card-provider';
import { failureTypes, type FailureType } from '@cardgate/contracts';
import { LedgerInvariantError } from '@cardgate/ledger';

/** The failure type (defined once, in the contracts) of each kind of card provider failure. */
const providerFailureType: Record<ProviderFailureKind, FailureType> = {
  retryable: failureTypes.providerRetryable,
  not_retryable: failureTypes.providerRefused,
  ambiguous: failureTypes.providerAmbiguous,
};

export function toActivityFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof CardProviderError)
    return ApplicationFailure.create({
      type: providerFailureType[error.kind],
      message: error.message,
      nonRetryable: error.kind === 'not_retryable',
      details: [{ reason: error.reason, status: error.status }],
      cause: error,
    });
  if (isAppError(error) && !error.retryable)
    return ApplicationFailure.create({
      type: error.name === 'LedgerError' ? failureTypes.ledgerRefused : failureTypes.invalid,
      message: error.message,
      nonRetryable: true,
      details: [{ reason: error.reason }],
      cause: error,
    });
  return error;
}

/** How often a running activity tells Temporal it is alive; a worker that dies is noticed after the heartbeat timeout. */
const heartbeatIntervalMs = 1_000;

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // called outside an activity (a direct call in a test or script)
  }
}

/**
 * Wraps every function of an activity object so its failures are mapped once, in one place, and so it heartbeats
 * while it runs: a killed worker's activity is retried elsewhere after seconds, not after its whole timeout.
 */
/**
 * What a broken ledger invariant does to the process. It is a crash, never a business outcome: the ledger has already
 * rolled the batch back and refuses every later write, so the worker must stop and be restarted (by its supervisor or
 * orchestrator) rather than keep failing activities that Temporal would retry against a stopped ledger.
 */
export type BrokenInvariantHandler = (error: LedgerInvariantError) => void;

export function mapFailures<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
  onBrokenInvariant: BrokenInvariantHandler,
): T {
  const mapped: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities))
    mapped[name] = async (...args: never[]) => {
      const context = currentContext();
      const heartbeat = context ? setInterval(() => context.heartbeat(), heartbeatIntervalMs) : undefined;
      try {
        return await activity(...args);
      } catch (error) {
        if (error instanceof LedgerInvariantError) onBrokenInvariant(error);
        throw toActivityFailure(error);
      } finally {
        clearInterval(heartbeat);
      }
    };
  return mapped as T;
}
