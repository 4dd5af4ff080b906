// Turns Cardgate's errors into Temporal activity failures with a stable `type`, so workflows branch on what happened
// and Temporal retries only what may succeed later: business refusals are non-retryable, transient and ambiguous
// provider failures are retried (with the same idempotency key, which makes a repeat safe).
import { ApplicationFailure } from '@temporalio/activity';
import { isAppError } from '@cardgate/errors';
import { CardProviderError, providerFailureTypes } from '@cardgate/card-provider';

export const failureTypes = {
  ...providerFailureTypes,
  /** The ledger refused (insufficient funds, closed account, conflicting id): a definite business outcome. */
  ledgerRefused: 'LedgerRefused',
  /** Input or state that cannot become valid by retrying. */
  invalid: 'InvalidRequest',
} as const;

export function toActivityFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof CardProviderError)
    return ApplicationFailure.create({
      type: providerFailureTypes[error.kind],
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

/** Wraps every function of an activity object so its failures are mapped once, in one place. */
export function mapFailures<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
): T {
  const mapped: Record<string, unknown> = {};
  for (const [name, activity] of Object.entries(activities))
    mapped[name] = async (...args: never[]) => {
      try {
        return await activity(...args);
      } catch (error) {
        throw toActivityFailure(error);
      }
    };
  return mapped as T;
}
