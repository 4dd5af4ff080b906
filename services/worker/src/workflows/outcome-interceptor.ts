// A workflow interceptor module (Worker option interceptors.workflowModules): reports each workflow's end as an
// outcome (outcomes.ts). A failure is a Temporal failure the workflow ends with; any other error fails only the
// workflow task, which Temporal retries, so it is not an outcome. Continue-as-new is not an end.
import {
  ContinueAsNew,
  TemporalFailure,
  isCancellation,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { recordWorkflowOutcome } from './outcomes.ts';

const outcomeInterceptor: WorkflowInboundCallsInterceptor = {
  async execute(input, next) {
    try {
      const result = await next(input);
      recordWorkflowOutcome('completed');
      return result;
    } catch (error) {
      if (!(error instanceof ContinueAsNew)) {
        if (isCancellation(error)) recordWorkflowOutcome('cancelled');
        else if (error instanceof TemporalFailure) recordWorkflowOutcome('failed');
      }
      throw error;
    }
  },
};

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [outcomeInterceptor] });
