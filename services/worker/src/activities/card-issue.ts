// The card issue flow's activities: put the issuance fee pending on the wallet, create the card at the provider with the
// card's own id as idempotency key, then post the fee and open the card's ledger account, or void the fee when the
// provider definitely refused.
import { formatMinor } from '@cardgate/money';
import type { CardStore } from '@cardgate/card-store';
import { AppError } from '@cardgate/errors';
import type { CardProvider } from '@cardgate/card-provider';
import type { AccountResolver, Ledger } from '@cardgate/ledger';
import type { Logger } from '@cardgate/config';
import type { Money } from '@cardgate/money';
import { type CardIssueWorkflowInput } from '@cardgate/contracts';
import { cardIssueFeeTransferIds, chart } from '@cardgate/domain';

export interface CardIssueActivityDependencies {
  readonly store: CardStore;
  readonly ledger: Ledger;
  readonly accountIds: AccountResolver;
  readonly provider: CardProvider;
  readonly issueFee: Money;
  readonly logger: Logger;
}

export type CardIssueInput = CardIssueWorkflowInput;

const feeId = (cardId: string): string => cardIssueFeeTransferIds(cardId).pending;

export function createCardIssueActivities(dependencies: CardIssueActivityDependencies) {
  const { store, ledger, accountIds, provider, issueFee, logger } = dependencies;

  return {
    /** Records the card as issuing and puts the fee pending. Refused (non-retryable) when the wallet cannot pay it. */
    async beginCardIssue(input: CardIssueInput): Promise<{ feeMinor: string }> {
      const card = await store.cards.beginIssue({ cardId: input.cardId, userId: input.userId });
      if (card.userId !== input.userId)
        throw new AppError('conflict', `card ${input.cardId} belongs to another user`, {
          reason: 'card_id_taken',
        });
      if (issueFee.minor > 0n) {
        const [wallet, fees] = await accountIds([chart.wallet(input.userId), chart.cardIssueFees]);
        await ledger.transfer({
          type: 'pending',
          id: feeId(input.cardId),
          code: 'card_issue_fee',
          debitAccountId: wallet,
          creditAccountId: fees,
          amount: issueFee,
          metadata: { cardId: input.cardId },
        });
      }
      return { feeMinor: formatMinor(issueFee) };
    },

    /** Creates the card at the provider; repeating it (same key) returns the same card. */
    async createProviderCard(input: {
      cardId: string;
    }): Promise<{ providerToken: string; lastFour: string }> {
      const card = await provider.createCard({ idempotencyKey: input.cardId, memo: input.cardId });
      return { providerToken: card.token, lastFour: card.lastFour };
    },

    /**
     * Opens the card's ledger account, marks it open, posts the fee. `lastFour` (absent in histories recorded before
     * it was passed) is kept for the user's card list; the number itself never comes here.
     */
    async completeCardIssue(
      input: CardIssueInput & { providerToken: string; lastFour?: string },
    ): Promise<void> {
      const [account] = await accountIds([chart.card(input.cardId, input.userId)]);
      await store.cards.open({
        cardId: input.cardId,
        userId: input.userId,
        providerToken: input.providerToken,
        ledgerAccountId: account,
        autoLoad: input.autoLoad,
      });
      if (input.lastFour !== undefined && /^[0-9]{4}$/.test(input.lastFour))
        await store.cards.recordLastFour({ cardId: input.cardId, lastFour: input.lastFour });
      if (issueFee.minor > 0n)
        await ledger.transfer({
          type: 'post_pending',
          id: cardIssueFeeTransferIds(input.cardId).post,
          code: 'card_issue_fee',
          pendingId: feeId(input.cardId),
        });
      logger.info({ cardId: input.cardId, userId: input.userId }, 'card issued');
    },

    /** The provider refused: the pending fee is voided and the card marked failed. */
    async failCardIssue(input: { cardId: string; reason: string }): Promise<void> {
      if (issueFee.minor > 0n) {
        const pending = await ledger.transferById(feeId(input.cardId));
        if (pending)
          await ledger.transfer({
            type: 'void_pending',
            id: cardIssueFeeTransferIds(input.cardId).void,
            code: 'card_issue_fee',
            pendingId: feeId(input.cardId),
          });
      }
      await store.cards.markFailed(input.cardId);
      logger.warn({ cardId: input.cardId, reason: input.reason }, 'card issue failed');
    },
  };
}
