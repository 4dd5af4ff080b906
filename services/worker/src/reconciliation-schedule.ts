// The Temporal Schedule that runs the reconciliation (hourly by default), made idempotently at worker start-up: the
// first worker creates it, every later start finds it and sets its interval to the configured one, so a changed
// RECONCILE_EVERY takes effect on the next start. Runs never overlap (a run still going skips the next one), and a
// schedule that missed its time while no server was up catches up within an hour, once.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import {
  reconciliationScheduleId,
  reconciliationWorkflowType,
  type ReconciliationWorkflow,
} from '@cardgate/contracts';

export interface ReconciliationScheduleOptions {
  readonly taskQueue: string;
  /** A Temporal duration: '1 hour', '15 minutes'. */
  readonly every: string;
}

export async function ensureReconciliationSchedule(
  client: Client,
  options: ReconciliationScheduleOptions,
): Promise<'created' | 'updated'> {
  const scheduleId = reconciliationScheduleId(options.taskQueue);
  const spec = { intervals: [{ every: options.every }] };
  try {
    await client.schedule.create<ReconciliationWorkflow>({
      scheduleId,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: reconciliationWorkflowType,
        workflowId: `reconciliation-${options.taskQueue}`,
        taskQueue: options.taskQueue,
        args: [{ trigger: 'schedule' }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec }));
    return 'updated';
  }
}
