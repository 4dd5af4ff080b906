// An operator's freeze of a card: the card is paused at the provider through the card state workflow that the user
// API's freeze starts (branch api-cards: `cardStateWorkflow`, contract packages/contracts/src/card-state.ts), so a
// user's and an operator's freeze take one path.
//
// TODO(api-cards): that workflow is not on main yet. Once it is, replace the 503 below with:
//   client.workflow.start<CardStateWorkflow>(cardStateWorkflowType, {
//     workflowId: cardStateWorkflowId(card.id, requestKey), taskQueue,
//     args: [{ cardId: card.id, userId: card.userId, state: 'PAUSED' }] })
// with `requestKey` derived from the operator's Idempotency-Key (API) or a fresh id (command line), after
// `cards.requestState({ userId, cardId, state: 'PAUSED' })` as the user route does. Until then an operator's freeze
// answers 503 (retryable) instead of pretending: nothing here talks to the provider.
import type { CardStore } from '@cardgate/card-store';
import { AppError } from '@cardgate/errors';

export interface CardFreezeResult {
  readonly cardId: string;
  readonly state: string;
}

export function createCardFreeze(dependencies: { cards: CardStore }) {
  return async function freezeCard(cardId: string): Promise<CardFreezeResult> {
    const card = await dependencies.cards.cards.byId(cardId);
    if (!card) throw new AppError('not_found', `no card ${cardId}`, { reason: 'card_not_found' });
    throw new AppError('unavailable', 'freezing a card is not available yet', {
      reason: 'card_freeze_unavailable',
      details: { cardId: card.id, state: card.state },
    });
  };
}
