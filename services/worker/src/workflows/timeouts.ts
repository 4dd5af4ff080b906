// Named timeout and retry profiles for activities, so every call site states its bounds by name.
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { definiteFailureTypes } from '@cardgate/contracts';

/** A local, quick activity: a database write or read. */
export const shortActivity = {
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 10,
  },
} satisfies ActivityOptions;

/** A ledger or database step whose refusals are business outcomes. */
export const ledgerActivity = {
  startToCloseTimeout: '15 seconds',
  heartbeatTimeout: '4 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [...definiteFailureTypes],
  },
} satisfies ActivityOptions;

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
    nonRetryableErrorTypes: [...definiteFailureTypes],
  },
};

/**
 * The database-only steps as local activities: they run inside the workflow task on the worker that holds the
 * workflow, with no activity task for the server to schedule, dispatch and record. Each of these steps is idempotent
 * by its business id, so a worker lost in the middle only means the step runs again elsewhere. On a small machine the
 * Temporal server's CPU per operation is what a deposit waits for (bench:cards: finality → card loaded p50 2–7 s
 * with regular activities, 0.6 s with these). Local activities cannot heartbeat, so there is no heartbeat timeout.
 */
export const shortLocalActivity: LocalActivityOptions = {
  startToCloseTimeout: shortActivity.startToCloseTimeout,
  retry: shortActivity.retry,
};

export const ledgerLocalActivity: LocalActivityOptions = {
  startToCloseTimeout: ledgerActivity.startToCloseTimeout,
  retry: ledgerActivity.retry,
};

/**
 * A whole reconciliation run: minutes at most (bench:reconcile: 100,000 addresses and a million journal rows well
 * under one); it heartbeats with its progress, so a lost worker is seen within the heartbeat timeout.
 */
export const reconciliationActivity: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 3,
  },
};

/**
 * A card load sweep: a few reads and at most a thousand workflow starts (activities/card-load-sweep.ts), seconds;
 * it heartbeats (as every activity does), so a lost worker is seen within the heartbeat timeout, and the next
 * scheduled sweep covers what a failed one left.
 */
export const cardLoadSweepActivity: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 3,
  },
};
