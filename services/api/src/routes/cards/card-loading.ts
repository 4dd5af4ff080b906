// Loading a card from a quote (POST /v1/cards/{id}/loads). The load books exactly the quoted figures:
//
// 1. One card-store transaction, under the user's advisory lock: the quote is checked (the user's, this card's,
//    unused, unexpired), the limits are checked on the user's loads summed under the lock and the card's posted
//    balance read from the ledger just before it (nothing may use the pool inside the transaction; loads posted since
//    that read count as still on their way, so none is missed), the load row is inserted
//    with the quote's figures, and the quote records the load and the request's Idempotency-Key. The load id is
//    derived from the quote id, so one quote can only ever make one load.
// 2. The wallet's USDT pending debit, placed here by the function the worker's placeCardLoadPending uses
//    (holdCardLoad of @cardgate/load-limits; deterministic transfer id `load:<loadId>`), so insufficient funds is
//    answered at once (422, the load marked failed); the workflow's own pending step then finds the load row with its
//    quote (store.loads.create keeps the stored quote) and the transfer already there.
// 3. The card load workflow (`card-load-<loadId>`, REJECT_DUPLICATE), which loads the card at the provider and posts.
//    Started after the answer (lib/after-response.ts, retried, bounded): the 202 says the load is recorded and its
//    USDT held, durably; Temporal's latency or an outage of it does not hold up or fail the request. A start that
//    still fails leaves the load `holding` for the sweep.
//
// A crash between the steps, and what a retry does:
// - before 1 commits: nothing was written; the retry (same key, after the idempotency lease) starts afresh.
// - after 1, before 2 or 3: the quote is bound to this request's key; the retry finds it bound to the same key and
//   continues at 2 (the pending debit's id is deterministic; the workflow start finds a running one). A crash after
//   the answer, before 3: the sweep of `holding` loads starts the workflow.
// - after 3: the retry finds everything and answers the load.
// - a request with ANOTHER key presenting the bound quote gets 409 quote_used, and first makes sure the load goes on
//   (2 and 3 again, each idempotent), so a load left by a crashed request whose client never retried with the same key
//   is finished by the next request that names the quote. A client that never comes back leaves the load `holding`
//   with its USDT pending until the worker's card load sweep (activities/card-load-sweep.ts, every few minutes)
//   starts its workflow by the same id, which finds the load and its hold and resolves the hold once.
import AsyncLock from 'async-lock';
import type { Client } from '@temporalio/client';
import type { Logger } from '@cardgate/config';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { CardStore, StoredCardLoad } from '@cardgate/card-store';
import {
  cardLoadWorkflowId,
  cardLoadWorkflowType,
  cardLoadWorkflowInputOf,
  type CardLoadWorkflow,
} from '@cardgate/contracts';
import { programLimitWindows } from '@cardgate/domain';
import { AppError } from '@cardgate/errors';
import { derivedId } from '@cardgate/ids';
import type { Ledger } from '@cardgate/ledger';
import type { AfterResponse } from '../../lib/after-response.ts';
import { accountResolverOf } from './card-ledger.ts';
import { holdCardLoad, isInsufficientFunds, type LoadLimits } from '@cardgate/load-limits';

export interface CardLoadingDependencies {
  readonly store: CardStore;
  readonly ledger: Ledger;
  readonly limits: LoadLimits;
  readonly temporal: { readonly client: Client; readonly taskQueue: string };
  readonly now: () => Date;
  readonly afterResponse: AfterResponse;
}

/**
 * In this process, one user's loads take turns before they ask PostgreSQL for the user's lock, so a burst of one
 * user's loads waits in memory instead of on pooled connections (each waiter on the database lock holds one: a burst
 * could otherwise take the pool from every other user). Bounded like the database wait: at most this long, at most
 * this many waiting per user; past either, 503 loads_busy (retryable, the key released).
 */
const userTurnWaitMs = 2_000;
const userTurnsWaitingMax = 50;

function loadsBusy(cause: unknown): AppError {
  return new AppError('unavailable', "the user's other loads are still being made; try again", {
    reason: 'loads_busy',
    cause,
  });
}

/** The load a quote makes: one per quote, whichever request makes it. */
export const loadIdOfQuote = (quoteId: string): string => derivedId('ld', quoteId);

export function insufficientFunds(): AppError {
  return new AppError('rule_violation', 'the wallet does not hold enough USDT for this', {
    reason: 'insufficient_funds',
  });
}

export function createCardLoading(dependencies: CardLoadingDependencies) {
  const { store, ledger, limits, temporal, now, afterResponse } = dependencies;
  const userTurns = new AsyncLock({ timeout: userTurnWaitMs, maxPending: userTurnsWaitingMax });

  async function inUserTurn<T>(userId: string, run: () => Promise<T>): Promise<T> {
    let started = false;
    try {
      return await userTurns.acquire(userId, () => {
        started = true;
        return run();
      });
    } catch (error) {
      // Only a failure to get the turn is "busy"; what `run` throws passes through unchanged.
      if (!started) throw loadsBusy(error);
      throw error;
    }
  }

  /** Step 2: the wallet's pending debit. Insufficient funds fails the load (it never reached the provider). */
  async function placePending(load: StoredCardLoad): Promise<void> {
    try {
      await holdCardLoad({ ledger, accountIds: accountResolverOf(ledger), store }, load);
    } catch (error) {
      if (isInsufficientFunds(error)) throw insufficientFunds();
      throw error;
    }
  }

  /** Step 3: the workflow, started once (a second start of the same load finds it, running or done). */
  async function startWorkflow(load: StoredCardLoad): Promise<void> {
    try {
      await temporal.client.workflow.start<CardLoadWorkflow>(cardLoadWorkflowType, {
        workflowId: cardLoadWorkflowId(load.loadId),
        taskQueue: temporal.taskQueue,
        args: [cardLoadWorkflowInputOf(load)],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** Steps 2 and 3 for a load still `holding`; a load past them (loading, loaded, failed) is answered as it is. */
  async function continueLoad(load: StoredCardLoad): Promise<StoredCardLoad> {
    if (load.status !== 'holding') return load;
    await placePending(load);
    await afterResponse.run(`start ${cardLoadWorkflowId(load.loadId)}`, () => startWorkflow(load));
    return load;
  }

  return {
    async load(
      input: { userId: string; cardId: string; quoteId: string; idempotencyKey: string },
      logger: Logger,
    ): Promise<StoredCardLoad> {
      // The card and its posted balance are read side by side (the balance read is harmless for a card that is
      // not the user's: its answer is then thrown away): one round trip of waiting instead of two.
      const [card, { posted, readAt }] = await Promise.all([
        store.cards.ofUser(input.userId, input.cardId),
        // Read before the binding transaction: nothing may use the pool inside it (see UsageInput.cardPostedReadAt).
        limits.cardPosted(input.userId, input.cardId),
      ]);
      if (!card)
        throw new AppError('not_found', `card ${input.cardId} does not exist`, { reason: 'card_not_found' });
      if (card.state !== 'OPEN' && card.state !== 'PAUSED')
        throw new AppError('conflict', `card ${input.cardId} is ${card.state}: it cannot be loaded`, {
          reason: 'card_not_open',
        });
      const at = now();
      const outcome = await inUserTurn(input.userId, () =>
        store.quotes.bindToLoad({
          userId: input.userId,
          cardId: input.cardId,
          quoteId: input.quoteId,
          loadId: loadIdOfQuote(input.quoteId),
          idempotencyKey: input.idempotencyKey,
          now: at,
          ...programLimitWindows(at),
          cardPostedReadAt: readAt,
          checkLimits: (usage, quote) => limits.check({ posted, usage, net: quote.quote.net }),
        }),
      );
      if (outcome.kind === 'used') {
        // Another request used the quote: make sure its load goes on, then say the quote is used.
        // Its own failure (insufficient funds, Temporal away) is logged, not answered: this request is refused anyway.
        if (outcome.load.status === 'holding')
          await continueLoad(outcome.load).catch((error: unknown) =>
            logger.warn({ err: error, loadId: outcome.load.loadId }, "continuing a used quote's load failed"),
          );
        throw new AppError('conflict', `quote ${input.quoteId} was used by another load`, {
          reason: 'quote_used',
          details: { loadId: outcome.load.loadId },
        });
      }
      return continueLoad(outcome.load);
    },
  };
}

export type CardLoading = ReturnType<typeof createCardLoading>;
