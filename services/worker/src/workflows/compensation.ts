// Compensations that must not be swallowed: when one keeps failing, the workflow stops in the `compensation_failed`
// state (visible through its query) until an operator signals that it may try again.
import { condition, setHandler } from '@temporalio/workflow';
import { retryCompensationSignal, type CompensationState } from '@cardgate/contracts';
import { recordWorkflowOutcome } from './outcomes.ts';

export type { CompensationState };

/** Runs `undo` until it succeeds; after each failure waits for the operator's retry signal. */
export async function compensateOrStop(state: CompensationState, undo: () => Promise<void>): Promise<void> {
  let retryRequested = false;
  setHandler(retryCompensationSignal, () => {
    retryRequested = true;
  });
  const previousStatus = state.status;
  for (let attempt = 1; attempt <= 1_000; attempt += 1) {
    try {
      await undo();
      state.status = previousStatus;
      return;
    } catch (error) {
      state.status = 'compensation_failed';
      recordWorkflowOutcome('compensation_failed');
      state.lastError = error instanceof Error ? error.message : String(error);
      retryRequested = false;
      await condition(() => retryRequested);
    }
  }
  throw new Error('compensation kept failing after 1000 operator retries');
}
