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
