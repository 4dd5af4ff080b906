// The program limits as the quote and load routes apply them: usage from the card store (the user's loads today and
// this month, the card's loads on their way) plus the card's posted balance from the ledger, checked by the pure
// domain function; a load over a limit is a 422 naming the limit and what is left of it.
import type { CardLoadUsage, CardStore } from '@cardgate/card-store';
import {
  checkProgramLimits,
  programLimitsRemaining,
  programLimitWindows,
  type ProgramLimits,
  type ProgramLimitsRemaining,
} from '@cardgate/domain';
import { AppError } from '@cardgate/errors';
import type { Ledger } from '@cardgate/ledger';
import { add, formatMoney, type Money } from '@cardgate/money';
import { cardBalanceOf } from './card-ledger.ts';

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
    const { posted } = await cardBalanceOf(ledger, cardId, userId);
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
