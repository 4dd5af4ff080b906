// The per-transaction workflow's activities: read the events stored for a transaction, and move the ledger from what
// it holds for the transaction to the target computed from those events. The planning is pure
// (@cardgate/domain planCardTransaction); this activity reads the row, resolves the accounts, submits the plan's
// batch and advances the row by compare-and-set. The batch's transfer ids carry the version they lead to, so a
// repeat after a crash between the two writes finds its transfers already there. Once applied, the card's owner gets
// a `card.transaction` user event (best effort: the ledger is already right, and a refetch shows it).
import type { CardStore } from '@cardgate/card-store';
import type { Logger } from '@cardgate/config';
import {
  minorTextOf,
  type AppliedCardTransaction,
  type CardTransactionEvent,
  type CardTransactionTargetText,
} from '@cardgate/contracts';
import { chart, planCardTransaction, type CardTransactionLedgerState } from '@cardgate/domain';
import type { AccountResolver, Ledger } from '@cardgate/ledger';
import { USD, moneyFromMinor, parseMinorUnits } from '@cardgate/money';
import { userEventMoney } from '@cardgate/contracts/user-event';
import type { UserEventPublisher } from '@cardgate/user-events';
import { cardEventNotifications, type NotificationSink } from './event-notifications.ts';

export interface CardTransactionActivityDependencies {
  readonly store: CardStore;
  readonly ledger: Ledger;
  readonly accountIds: AccountResolver;
  readonly logger: Logger;
  /** The users' live event streams; absent where nobody streams them. */
  readonly userEvents?: UserEventPublisher;
  /** Queues the user's notifications of declined payments and refunds (event-notifications.ts). */
  readonly notify: NotificationSink;
}

/** The wire form of what the ledger holds: `holdMinor` is the recorded name of the pending debit. */
function appliedOf(state: CardTransactionLedgerState): AppliedCardTransaction {
  return {
    version: state.appliedVersion,
    holdMinor: minorTextOf(state.pendingDebitMinor, USD),
    pendingCreditMinor: minorTextOf(state.pendingCreditMinor, USD),
    debitedMinor: minorTextOf(state.debitedMinor, USD),
    creditedMinor: minorTextOf(state.creditedMinor, USD),
    expired: state.expired,
  };
}

export function createCardTransactionActivities(dependencies: CardTransactionActivityDependencies) {
  const { store, ledger, accountIds, logger, notify } = dependencies;

  return {
    /** Every stored event of the transaction (a new run of its workflow starts from them) and whether it expired. */
    async loadCardTransaction(input: {
      providerTransactionId: string;
    }): Promise<{ events: CardTransactionEvent[]; expired: boolean }> {
      const events = await store.events.ofTransaction(input.providerTransactionId);
      const state = await store.transactions.state(input.providerTransactionId);
      return { events, expired: state?.expired ?? false };
    },

    /** Moves the ledger to the target; answers what the ledger holds for the transaction afterwards. */
    async applyCardTransaction(input: {
      providerTransactionId: string;
      cardToken: string;
      target: CardTransactionTargetText;
      expired: boolean;
    }): Promise<AppliedCardTransaction> {
      const txn = input.providerTransactionId;
      const card = await store.cards.byProviderToken(input.cardToken);
      const state = await store.transactions.ensure(txn, card.id);
      // Declines and refunds are told to the user from here, the step that runs when the transaction's events
      // change, so the workflow's command sequence stays as recorded. Queueing is idempotent by notification id.
      for (const notification of cardEventNotifications(await store.events.ofTransaction(txn), card))
        await notify(notification);
      const amount = (text: string) => parseMinorUnits(text, USD, { allowZero: true }).minor;
      const [cardAccount, providerPrefund] = await accountIds([
        chart.card(card.id, card.userId),
        chart.providerPrefund,
      ]);
      const plan = planCardTransaction({
        providerTransactionId: txn,
        state,
        target: {
          pendingDebitMinor: amount(input.target.holdMinor),
          // Absent in activity inputs recorded before pending credits existed.
          pendingCreditMinor: amount(input.target.pendingCreditMinor ?? '0'),
          debitedMinor: amount(input.target.debitedMinor),
          creditedMinor: amount(input.target.creditedMinor),
        },
        expired: input.expired,
        accounts: { card: cardAccount, providerPrefund },
      });
      if (plan.kind === 'unchanged') return appliedOf(state);
      if (plan.transfers.length > 0) await ledger.submit(plan.transfers);
      await store.transactions.advance(txn, state.appliedVersion, plan.next);
      const applied = appliedOf(plan.next);
      logger.info({ ...applied, providerTransactionId: txn }, 'card transaction applied');
      await publishApplied(dependencies, card, txn, plan.next);
      return applied;
    },
  };
}

/**
 * Tells the card's owner what the ledger now holds for the transaction. The key names the version applied, so a
 * repeat of this step publishes an event the client ignores. A failure is logged, not thrown: the activity would
 * find the ledger already moved on its retry and publish nothing anyway.
 */
async function publishApplied(
  dependencies: CardTransactionActivityDependencies,
  card: { readonly id: string; readonly userId: string },
  providerTransactionId: string,
  state: CardTransactionLedgerState,
): Promise<void> {
  if (!dependencies.userEvents) return;
  const usd = (minor: bigint) => userEventMoney(moneyFromMinor(minor, USD));
  try {
    await dependencies.userEvents.publish(card.userId, {
      key: `card-transaction:${providerTransactionId}:${state.appliedVersion}`,
      kind: 'card.transaction',
      data: {
        cardId: card.id,
        transactionId: providerTransactionId,
        pending: usd(state.pendingDebitMinor),
        debited: usd(state.debitedMinor),
        credited: usd(state.creditedMinor),
        expired: state.expired,
      },
    });
  } catch (error) {
    dependencies.logger.warn({ err: error, providerTransactionId }, 'card transaction event not published');
  }
}
