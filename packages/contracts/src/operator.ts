// What every flow with a compensation shares: a compensation that keeps failing stops the workflow in the
// `compensation_failed` state (visible through the flow's state query) until an operator sends this signal.
import { defineSignal } from '@temporalio/workflow';

export const retryCompensationSignalName = 'retryCompensation';
export const retryCompensationSignal = defineSignal(retryCompensationSignalName);

/** The answer of a flow's state query: where it stands and, after a failure, its last error. */
export interface CompensationState {
  status: string;
  lastError?: string;
}
