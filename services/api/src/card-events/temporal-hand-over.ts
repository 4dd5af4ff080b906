// Hands a stored card event to its transaction's workflow: signal-with-start on `card-txn-<transaction>`, so the
// first event starts the workflow, later ones signal it, and one after the workflow completed starts a new run that
// resumes from the stored events.
import type { Client } from '@temporalio/client';
import {
  cardTransactionEventSignalName,
  cardTransactionWorkflowId,
  cardTransactionWorkflowType,
  type CardTransactionEvent,
} from '@cardgate/contracts';

export type CardEventHandOver = (event: CardTransactionEvent) => Promise<void>;

export function createTemporalCardEventHandOver(
  client: Client,
  options: { taskQueue: string; holdLifetimeOverrideMs?: number },
): CardEventHandOver {
  return async (event) => {
    await client.workflow.signalWithStart(cardTransactionWorkflowType, {
      workflowId: cardTransactionWorkflowId(event.providerTransactionId),
      taskQueue: options.taskQueue,
      args: [
        {
          providerTransactionId: event.providerTransactionId,
          cardToken: event.cardToken,
          ...(options.holdLifetimeOverrideMs === undefined
            ? {}
            : { holdLifetimeOverrideMs: options.holdLifetimeOverrideMs }),
        },
      ],
      signal: cardTransactionEventSignalName,
      signalArgs: [event],
    });
  };
}
