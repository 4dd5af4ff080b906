// The Temporal Schedule that runs the card load sweep (every 5 minutes by default), made idempotently at worker
// start-up as the reconciliation's is: the first worker creates it, every later start finds it and sets its interval
// and arguments to the configured ones. Sweeps never overlap (a sweep still going skips the next one); one missed
// while no server was up is caught up within the hour, once.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import {
  cardLoadSweepScheduleId,
  cardLoadSweepWorkflowType,
  type CardLoadSweepWorkflow,
} from '@cardgate/contracts';

/**
 * How long a load stays unfinished before the sweep resumes it. The API starts a load's workflow right after its
 * answer (tried for a few seconds: services/api/src/lib/after-response.ts) and a workflow marks the load `loading` as soon as it calls the provider, so a
 * load `holding` this long has nobody going on with it; a running workflow (a slow provider, an operator's case) is
 * left alone anyway, its start being refused.
 */
export const cardLoadUnfinishedForMs = 10 * 60_000;

export interface CardLoadSweepScheduleOptions {
  readonly taskQueue: string;
  /** A Temporal duration: '5 minutes'. */
  readonly every: string;
  readonly unfinishedForMs: number;
}

export async function ensureCardLoadSweepSchedule(
  client: Client,
  options: CardLoadSweepScheduleOptions,
): Promise<'created' | 'updated'> {
  const scheduleId = cardLoadSweepScheduleId(options.taskQueue);
  const spec = { intervals: [{ every: options.every }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: cardLoadSweepWorkflowType,
    workflowId: `card-load-sweep-${options.taskQueue}`,
    taskQueue: options.taskQueue,
    args: [{ unfinishedForMs: options.unfinishedForMs }] as const,
  };
  try {
    await client.schedule.create<CardLoadSweepWorkflow>({
      scheduleId,
      spec,
      action: { ...action, args: [...action.args] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(scheduleId)
      .update((previous) => ({ ...previous, spec, action: { ...previous.action, args: [...action.args] } }));
    return 'updated';
  }
}
