// The scheduled reconciliation's contract: the workflow the Temporal Schedule starts, its schedule id and its result
// (the run's id and counts; the findings themselves are stored by packages/reconciliation, where operators read them).
export const reconciliationWorkflowType = 'reconciliationWorkflow';

/** One schedule per namespace and task queue; created idempotently at worker start-up. */
export function reconciliationScheduleId(taskQueue: string): string {
  return `reconciliation-${taskQueue}`;
}

export interface ReconciliationWorkflowInput {
  /** What started it: `schedule`, or an operator's `manual`. */
  readonly trigger: string;
}

export interface ReconciliationWorkflowResult {
  readonly runId: string;
  readonly differences: number;
  readonly inFlight: number;
  readonly asOf: Readonly<Record<string, string>>;
  readonly durationMs: number;
}

export type ReconciliationWorkflow = (
  input: ReconciliationWorkflowInput,
) => Promise<ReconciliationWorkflowResult>;
