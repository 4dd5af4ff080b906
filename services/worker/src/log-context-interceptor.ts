// Puts the workflow id (and activity type) into the log context while an activity runs, so every log line an
// activity writes, through any logger built by @cardgate/config, names the money flow it belongs to.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { runWithLogContext } from '@cardgate/config';

export const logContextInterceptor: ActivityInterceptorsFactory = (context) => ({
  inbound: {
    execute: (input, next) =>
      runWithLogContext(
        {
          workflowId: context.info.workflowExecution?.workflowId ?? 'standalone',
          activity: context.info.activityType,
        },
        () => next(input),
      ),
  },
});
