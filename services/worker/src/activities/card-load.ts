// The card load flow's activities. The load is made with its whole quote (rate, spread, fee, gross and net, time,
// config version), stored with it; the USDT is a pending debit of the wallet; the provider is called with the load's
// own idempotency key; the pending debit is posted with the USD legs and the FX spread of the stored quote when the
// provider confirms, or voided when it definitely refused. The transfers are planned by @cardgate/domain.
import type { CardProvider } from '@cardgate/card-provider';
import type { CardStore, StoredCardLoad } from '@cardgate/card-store';
import type { Logger } from '@cardgate/config';
import {
  cardLoadInputSchema,
  recordedActivityTypes,
  type CardLoadWorkflowInput,
  type Notification,
} from '@cardgate/contracts';
import {
  cardLoadPendingTransferId,
  chart,
  planCardLoadPost,
  planCardLoadVoid,
  quoteCardLoad,
  quoteUsdtToUsd,
  type FxSettings,
} from '@cardgate/domain';
import { AppError, isAppError } from '@cardgate/errors';
import type { AccountResolver, Ledger } from '@cardgate/ledger';
import { holdCardLoad, type LoadLimits } from '@cardgate/load-limits';
import {
  moneyFromMinor,
  parseMoney,
  subtract,
  USD,
  type Money,
  formatMinor,
  parseMinorUnits,
} from '@cardgate/money';

export interface CardLoadActivityDependencies {
  readonly store: CardStore;
  readonly ledger: Ledger;
  readonly accountIds: AccountResolver;
  readonly provider: CardProvider;
  readonly fx: FxSettings;
  /** The program limits every load meets; the ones the API's loads meet (@cardgate/load-limits). */
  readonly limits: LoadLimits;
  /** Queues a user notification (an auto-load skipped over a limit). */
  readonly notify: (notification: Notification) => Promise<void>;
  readonly logger: Logger;
  /** The clock a quote is timed by (tests pass their own). */
  readonly now?: () => Date;
}

/** What the pending step answers the workflow: the stored quote's net, spread and rate (wire names, recorded). */
export interface PendingLoad {
  readonly usdMinor: string;
  readonly spreadMinor: string;
  readonly rate: string;
}

/** The provider idempotency key of a load: the load's id, so every attempt at one load carries the same key. */
export const providerLoadKey = (loadId: string): string => `load:${loadId}`;

/** The net USD a load puts on the card: every load stored it, also those made before quotes were stored whole. */
function netOf(load: StoredCardLoad) {
  if (!load.net)
    throw new AppError('conflict', `card load ${load.loadId} has no quote`, { reason: 'load_unquoted' });
  return load.net;
}

/**
 * The stored quote's spread. A load made before quotes were stored whole kept only its rate and net: its spread is
 * what its rate's gross leaves above the net, as it was computed then.
 */
function spreadOf(load: StoredCardLoad, net: Money): Money {
  if (load.quote) return load.quote.spread;
  if (!load.rate)
    throw new AppError('conflict', `card load ${load.loadId} has no rate`, { reason: 'load_unquoted' });
  const gross = quoteUsdtToUsd(load.amount, load.rate, 0n).gross;
  return gross.minor > net.minor ? subtract(gross, net) : moneyFromMinor(0n, USD);
}

export function createCardLoadActivities(dependencies: CardLoadActivityDependencies) {
  const { store, ledger, accountIds, provider, fx, limits, notify, logger } = dependencies;
  const now = dependencies.now ?? (() => new Date());

  async function issuedCard(cardId: string) {
    const card = await store.cards.byId(cardId);
    if (!card?.providerToken)
      throw new AppError('rule_violation', `card ${cardId} is not issued`, { reason: 'card_not_issued' });
    return { ...card, providerToken: card.providerToken };
  }

  /**
   * A load the workflow makes itself (a deposit's auto-load: no quote, no API request) meets the program limits
   * exactly as the API's loads do: the same check, under the same user lock, in @cardgate/load-limits. Over a limit
   * it is not made at all (a definite refusal: the workflow ends `rejected`) and its owner is told which limit and
   * what is left; the deposit stays in the wallet. A load made already (bound to a quote by the API, or a retry) is
   * not checked again.
   */
  async function makeLoad(
    input: { loadId: string; userId: string; cardId: string },
    quote: ReturnType<typeof quoteCardLoad>,
  ) {
    // A load bound to a quote by the API (or made by an earlier attempt) is read back without the user's lock and the
    // limit reads: it was checked when it was made.
    const made = await store.loads.ofUser(input.userId, input.loadId);
    if (made && made.amount.minor === quote.amount.minor && made.cardId === input.cardId) return made;
    try {
      return await limits.createLoad({
        loadId: input.loadId,
        cardId: input.cardId,
        userId: input.userId,
        quote,
        now: now(),
      });
    } catch (error) {
      if (isAppError(error) && error.reason === 'limit_exceeded') {
        const { limit, remaining } = error.details;
        await notify({
          id: `card-auto-load-skipped:${input.loadId}`,
          userId: input.userId,
          kind: 'card_auto_load_skipped',
          data: {
            cardId: input.cardId,
            limit: String(limit),
            remainingMinor: parseMoney(String(remaining), USD).minor.toString(),
          },
        });
        logger.info({ loadId: input.loadId, limit, remaining }, 'auto-load skipped: over a program limit');
      }
      throw error;
    }
  }

  /**
   * Makes the load with its quote (within the limits) and puts the USDT pending on the wallet. Refused
   * (non-retryable) over a limit and on insufficient funds; the latter marks the load failed, so that no load stays
   * `holding` without its USDT held.
   */
  async function placeCardLoadPending(wire: CardLoadWorkflowInput): Promise<PendingLoad> {
    const input = cardLoadInputSchema.parse(wire);
    const card = await issuedCard(input.cardId);
    if (card.userId !== input.userId)
      throw new AppError('forbidden', `card ${input.cardId} is not the user's`, {
        reason: 'not_card_owner',
      });
    const quote = quoteCardLoad(input.amountUsdtMinor, fx, now());
    if (quote.net.minor <= 0n)
      throw new AppError('rule_violation', 'the amount is too small to load', {
        reason: 'amount_too_small',
      });
    // The first quote is the one that counts: a retry reads the stored one back instead of quoting again.
    const stored = await makeLoad(input, quote);
    await holdCardLoad({ ledger, accountIds, store }, stored);
    const net = netOf(stored);
    return {
      usdMinor: formatMinor(net),
      spreadMinor: formatMinor(spreadOf(stored, net)),
      rate: stored.rate ?? quote.rate,
    };
  }

  return {
    // Registered under its recorded activity type (recorded-names.ts in the contracts).
    [recordedActivityTypes.placeCardLoadPending]: placeCardLoadPending,

    /** Loads the card at the provider with the load's key; a repeat with the same key never loads twice. */
    async loadAtProvider(input: { loadId: string }): Promise<{ providerLoadToken: string }> {
      const load = await store.loads.byId(input.loadId);
      const card = await issuedCard(load.cardId);
      await store.loads.markLoading(input.loadId);
      const result = await provider.loadCard({
        cardToken: card.providerToken,
        amount: netOf(load),
        idempotencyKey: providerLoadKey(input.loadId),
      });
      return { providerLoadToken: result.token };
    },

    /** Asks the provider whether the load with this key exists: the way out of an ambiguous outcome. */
    async findProviderLoad(input: { loadId: string }): Promise<{ providerLoadToken: string } | null> {
      const found = await provider.findLoad(providerLoadKey(input.loadId));
      return found ? { providerLoadToken: found.token } : null;
    },

    /**
     * The provider loaded the card: post the USDT and put the USD on the card, the spread to revenue, all as the
     * stored quote says. `spreadMinor` (the pending step's recorded answer) is read only for a load made before
     * quotes were stored whole.
     */
    async postCardLoad(input: {
      loadId: string;
      providerLoadToken: string;
      spreadMinor?: string;
    }): Promise<void> {
      const load = await store.loads.byId(input.loadId);
      const quote = load.quote ?? {
        net: netOf(load),
        spread: parseMinorUnits(input.spreadMinor ?? '0', USD, { allowZero: true }),
        fee: parseMinorUnits('0', USD, { allowZero: true }),
      };
      const [card, fxPositionUsd, fxSpread] = await accountIds([
        chart.card(load.cardId, load.userId),
        chart.fxPositionUsd,
        chart.fxSpread,
      ]);
      await ledger.submit(
        planCardLoadPost({
          loadId: input.loadId,
          providerLoadToken: input.providerLoadToken,
          quote,
          accounts: { card, fxPositionUsd, fxSpread },
        }),
      );
      await store.loads.markLoaded(input.loadId, input.providerLoadToken);
      logger.info({ loadId: input.loadId, cardId: load.cardId }, 'card loaded');
    },

    /** The provider definitely did not load the card: void the USDT pending debit. */
    async voidCardLoad(input: { loadId: string; reason: string }): Promise<void> {
      const pending = await ledger.transferById(cardLoadPendingTransferId(input.loadId));
      if (pending) await ledger.transfer(planCardLoadVoid(input.loadId));
      await store.loads.markFailed(input.loadId, input.reason);
      logger.warn({ loadId: input.loadId, reason: input.reason }, 'card load voided');
    },

    /** The card a deposit continues into, when its owner set auto-load. */
    async findAutoLoadCard(input: { userId: string }): Promise<{ cardId: string } | null> {
      const cardId = await store.cards.autoLoadCardOf(input.userId);
      return cardId === null ? null : { cardId };
    },
  };
}
