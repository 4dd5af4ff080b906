// The program limits as every card load meets them: the API's quotes and loads (POST /v1/cards/{id}/loads) and the
// worker's loads made without a quote (a deposit's auto-load). Usage comes from the card store (the user's loads today
// and this month, the card's loads on their way), the card's posted balance from the ledger, and the pure domain rule
// decides; a load over a limit is a rule violation naming the limit and what is left of it (422 in the API, a
// definite refusal in the worker).
import type { CardLoadUsage, CardStore, StoredCardLoad } from '@cardgate/card-store';
import {
  chart,
  checkProgramLimits,
  programLimitsRemaining,
  programLimitWindows,
  type CardLoadQuote,
  type ProgramLimits,
  type ProgramLimitsRemaining,
} from '@cardgate/domain';
import { AppError } from '@cardgate/errors';
import { balanceOf, type Ledger } from '@cardgate/ledger';
import { add, formatMoney, moneyFromMinor, USD, type Money } from '@cardgate/money';

export interface LoadLimitDependencies {
  readonly store: CardStore;
  readonly ledger: Ledger;
  readonly limits: ProgramLimits;
}

export function limitExceeded(limit: string, remaining: Money): AppError {
  return new AppError(
    'rule_violation',
    `this load is over the ${limit} limit: ${formatMoney(remaining)} ${remaining.asset.code} is left of it`,
    {
      reason: 'limit_exceeded',
      details: { limit, remaining: formatMoney(remaining), asset: remaining.asset.code },
    },
  );
}

export function createLoadLimits(dependencies: LoadLimitDependencies) {
  const { store, ledger, limits } = dependencies;

  /** Checks one load of `net` onto a card holding `posted`, given the usage summed by the store. */
  function check(input: { posted: Money; usage: CardLoadUsage; net: Money }): void {
    const result = checkProgramLimits(
      limits,
      {
        loadedToday: input.usage.loadedToday,
        loadedThisMonth: input.usage.loadedThisMonth,
        cardHeld: add(input.posted, input.usage.onTheWayToCard),
      },
      input.net,
    );
    if (!result.ok) throw limitExceeded(result.limit, result.remaining);
  }

  /**
   * The card's posted balance and when its read began (the store's clock): the store then counts loads posted after
   * that as still on their way (see UsageInput.cardPostedReadAt).
   */
  async function cardPosted(userId: string, cardId: string): Promise<{ posted: Money; readAt: Date }> {
    const readAt = await store.quotes.databaseNow();
    const account = await ledger.accountByCode(chart.card(cardId, userId).code);
    // No account yet (a card still issuing): nothing posted.
    const posted = moneyFromMinor(account ? balanceOf(account).postedNet : 0n, USD);
    return { posted, readAt };
  }

  return {
    check,
    cardPosted,

    /** Checks without the lock (a quote): the load checks again under it. */
    async checkQuote(input: { userId: string; cardId: string; net: Money; now: Date }): Promise<void> {
      const { posted, readAt } = await cardPosted(input.userId, input.cardId);
      const usage = await store.quotes.usage({
        userId: input.userId,
        cardId: input.cardId,
        ...programLimitWindows(input.now),
        cardPostedReadAt: readAt,
      });
      check({ posted, usage, net: input.net });
    },

    /**
     * Makes a load that has no quote (the worker's: a deposit's auto-load) within the limits, under the same user
     * lock and the same check as a load from a quote; a load already made (a retry, or one bound to a quote by the
     * API) is answered as it is, not checked again. Over a limit: the rule violation `limit_exceeded`.
     */
    async createLoad(input: {
      loadId: string;
      cardId: string;
      userId: string;
      quote: CardLoadQuote;
      now: Date;
    }): Promise<StoredCardLoad> {
      const { posted, readAt } = await cardPosted(input.userId, input.cardId);
      return store.loads.createWithinLimits({
        loadId: input.loadId,
        cardId: input.cardId,
        userId: input.userId,
        quote: input.quote,
        ...programLimitWindows(input.now),
        cardPostedReadAt: readAt,
        checkLimits: (usage) => check({ posted, usage, net: input.quote.net }),
      });
    },

    /** What is left of each limit for the user (the card limit: its whole amount, since it is per card). */
    async remaining(userId: string, now: Date): Promise<ProgramLimitsRemaining> {
      const usage = await store.quotes.usage({ userId, ...programLimitWindows(now) });
      return programLimitsRemaining(limits, {
        loadedToday: usage.loadedToday,
        loadedThisMonth: usage.loadedThisMonth,
      });
    },
  };
}

export type LoadLimits = ReturnType<typeof createLoadLimits>;
