// Named timeout and retry profiles for activities, so every call site states its bounds by name.
import type { ActivityOptions } from '@temporalio/workflow';

/** A local, quick activity: a database write or read. */
export const shortActivity: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 10,
  },
};

/** Failure types that are definite business outcomes: retrying cannot change them. */
export const definiteFailureTypes = ['CardProviderRefused', 'LedgerRefused', 'InvalidRequest'];

/** A ledger or database step whose refusals are business outcomes. */
export const ledgerActivity: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  heartbeatTimeout: '4 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: definiteFailureTypes,
  },
};

/**
 * A call to the card provider. Every such call carries an idempotency key or is a read, so Temporal may repeat it;
 * after these attempts the workflow decides (ask by key, wait, or stop for an operator).
 */
export const providerActivity: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  heartbeatTimeout: '4 seconds',
  retry: {
    initialInterval: '300 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: definiteFailureTypes,
  },
};
