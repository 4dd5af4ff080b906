// The card state flow's activities: pause or resume the card at the provider (idempotent there: setting a state the
// card already has changes nothing, so Temporal may repeat the call), then record the state in `card`; or, when the
// provider refused for good or never answered, end the user's request and leave the state as it was.
import type { CardProvider } from '@cardgate/card-provider';
import type { CardStore } from '@cardgate/card-store';
import type { Logger } from '@cardgate/config';
import type { CardStateWorkflowInput, RequestedCardState } from '@cardgate/contracts';
import { AppError } from '@cardgate/errors';

export interface CardStateActivityDependencies {
  readonly store: CardStore;
  readonly provider: CardProvider;
  readonly logger: Logger;
}

export function createCardStateActivities(dependencies: CardStateActivityDependencies) {
  const { store, provider, logger } = dependencies;
  return {
    /** Pauses (PAUSED) or resumes (OPEN) the card at the provider; answers the state the provider then reports. */
    async setProviderCardState(input: CardStateWorkflowInput): Promise<{ state: string }> {
      const card = await store.cards.byId(input.cardId);
      if (!card?.providerToken || card.userId !== input.userId)
        throw new AppError('rule_violation', `card ${input.cardId} is not the user's issued card`, {
          reason: 'card_not_issued',
        });
      const changed =
        input.state === 'PAUSED'
          ? await provider.pauseCard(card.providerToken)
          : await provider.resumeCard(card.providerToken);
      return { state: changed.state };
    },

    async recordCardState(input: { cardId: string; state: RequestedCardState }): Promise<void> {
      await store.cards.recordState(input);
      logger.info({ cardId: input.cardId, state: input.state }, 'card state recorded');
    },

    async abandonCardState(input: {
      cardId: string;
      state: RequestedCardState;
      reason: string;
    }): Promise<void> {
      await store.cards.abandonRequestedState({ cardId: input.cardId, state: input.state });
      logger.warn(
        { cardId: input.cardId, state: input.state, reason: input.reason },
        'card state change abandoned',
      );
    },
  };
}
