// Hands a deposit event to its Temporal workflow: starts the workflow if it does not exist, signals it either way,
// in one call. The workflow id is the deposit's business id, and a closed workflow is never started again.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  depositEventSignalName,
  depositWorkflowId,
  depositWorkflowType,
  type DepositEvent,
  type DepositWorkflowInput,
} from '@cardgate/contracts';
import type { DepositHandOver } from './outbox-dispatcher.ts';

export function createTemporalHandOver(client: Client, taskQueue: string): DepositHandOver {
  return {
    async handOver(event: DepositEvent): Promise<void> {
      const input: DepositWorkflowInput = { txId: event.txId, logIndex: event.logIndex };
      try {
        await client.workflow.signalWithStart(depositWorkflowType, {
          workflowId: depositWorkflowId(event.txId, event.logIndex),
          taskQueue,
          args: [input],
          signal: depositEventSignalName,
          signalArgs: [event],
          // A deposit workflow closes only after its final event; a repeat of that event must not start it anew.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return;
        throw error;
      }
    },
  };
}
