// How money flows end, for the worker's metrics (cardgate_workflow_outcomes_total): `completed` and `failed` when a
// workflow returns or fails (outcome-interceptor.ts), `needs_operator` and `compensation_failed` when a flow stops to
// wait for an operator. Reported through a Temporal sink: a sink call adds no command to the history, so replay is
// unaffected, and it is made only when the code runs for the first time, never again when a history is replayed (a
// worker restart, a cache eviction), so each outcome is counted once by the worker that reached it.
import { proxySinks, workflowInfo, type Sinks } from '@temporalio/workflow';

export type WorkflowOutcome = 'completed' | 'failed' | 'cancelled' | 'needs_operator' | 'compensation_failed';

export interface OutcomeSinks extends Sinks {
  readonly outcomes: { record(outcome: WorkflowOutcome): void };
}

const { outcomes } = proxySinks<OutcomeSinks>();

export function recordWorkflowOutcome(outcome: WorkflowOutcome): void {
  // The worker drops sink calls made while replaying anyway; not making them keeps replay workers (the replay tests)
  // from asking for a sink they do not register.
  if (workflowInfo().unsafe.isReplaying) return;
  outcomes.record(outcome);
}
