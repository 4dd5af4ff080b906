// An operator's freeze of a card: the card is paused at the provider through the card state workflow that the user
// API's freeze starts (`cardStateWorkflow`, contract packages/contracts/src/card-state.ts), so a user's and an
// operator's freeze take one path: the card store records the requested state (one direction at a time), then the
// workflow pauses the card at the provider and records the outcome. Pausing twice is harmless at the provider, so a
// repeated request (a new request id) may start a second workflow; the answer says the freeze is under way.
import type { Client } from '@temporalio/client';
import type { CardStore } from '@cardgate/card-store';
import { cardStateWorkflowId, cardStateWorkflowType, type CardStateWorkflow } from '@cardgate/contracts';
import { AppError } from '@cardgate/errors';
import { derivedId, randomId } from '@cardgate/ids';
import type { OperatorCall } from './audited.ts';

export interface CardFreezeResult {
  readonly cardId: string;
  readonly state: string;
  readonly requestedState: 'PAUSED';
  readonly workflowId: string;
}

export function createCardFreeze(dependencies: { cards: CardStore; client: Client; taskQueue: string }) {
  return async function freezeCard(call: OperatorCall, cardId: string): Promise<CardFreezeResult> {
    const card = await dependencies.cards.cards.byId(cardId);
    if (!card) throw new AppError('not_found', `no card ${cardId}`, { reason: 'card_not_found' });
    const requested = await dependencies.cards.cards.requestState({
      userId: card.userId,
      cardId,
      state: 'PAUSED',
    });
    if (!requested) throw new AppError('not_found', `no card ${cardId}`, { reason: 'card_not_found' });
    const workflowId = cardStateWorkflowId(
      cardId,
      derivedId('req', call.actor, call.requestId ?? randomId('req')),
    );
    try {
      await dependencies.client.workflow.start<CardStateWorkflow>(cardStateWorkflowType, {
        workflowId,
        taskQueue: dependencies.taskQueue,
        args: [{ cardId, userId: card.userId, state: 'PAUSED' }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      // Started already by this very request (a retry of it): the freeze is under way.
      if (!(error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError')) throw error;
    }
    return { cardId, state: card.state, requestedState: 'PAUSED', workflowId };
  };
}
