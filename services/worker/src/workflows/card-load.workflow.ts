// One card load: fix the quote, put the USDT pending on the wallet, load the card at the provider under the load's
// idempotency key, then post (success) or void (definite refusal). An ambiguous outcome is never guessed: the workflow asks the provider by
// the key, repeats the load with the same key when the provider has none, and after a bounded number of rounds
// stops in `needs_operator` until an operator tells it what the provider did. Never two loads, never money lost.
import {
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import {
  cardLoadStateQuery,
  recordedActivityTypes,
  resolveCardLoadSignal,
  type CardLoadResult,
  type CardLoadWorkflowInput,
  type OperatorLoadResolution,
} from '@cardgate/contracts';
import type { Activities } from '../activities/index.ts';
import { compensateOrStop, type CompensationState } from './compensation.ts';
import { failureMessage, isDefiniteRefusal } from './failure-kinds.ts';
import { ledgerActivity, ledgerLocalActivity, providerActivity } from './timeouts.ts';
import { recordWorkflowOutcome } from './outcomes.ts';

// Regular activities for histories recorded before the `card-load-local-activities` patch, local ones after it.
const remote = proxyActivities<Activities>(ledgerActivity);
const local = proxyLocalActivities<Activities>(ledgerLocalActivity);
const { loadAtProvider, findProviderLoad } = proxyActivities<Activities>(providerActivity);

/** Rounds of (load, ask by key) before an operator is needed; with the backoff below, about an hour. */
const certaintyRoundsMax = 20;

type ProviderOutcome = { loaded: string } | { refused: string };

async function loadWithCertainty(
  loadId: string,
  state: CompensationState,
  operator: () => OperatorLoadResolution | undefined,
): Promise<ProviderOutcome> {
  for (let round = 1; round <= certaintyRoundsMax; round += 1) {
    try {
      return { loaded: (await loadAtProvider({ loadId })).providerLoadToken };
    } catch (error) {
      if (isDefiniteRefusal(error)) return { refused: failureMessage(error) };
      state.status = 'outcome_unknown';
      state.lastError = failureMessage(error);
    }
    try {
      const found = await findProviderLoad({ loadId });
      if (found) return { loaded: found.providerLoadToken };
      // None under this key: the next round repeats the load with the same key, which cannot load twice.
    } catch (error) {
      state.lastError = failureMessage(error);
    }
    await sleep(Math.min(2 ** round * 1_000, 5 * 60_000));
  }
  state.status = 'needs_operator';
  recordWorkflowOutcome('needs_operator');
  await condition(() => operator() !== undefined);
  const resolution = operator()!;
  return resolution.outcome === 'loaded'
    ? { loaded: resolution.providerLoadToken }
    : { refused: 'operator: not loaded' };
}

export async function cardLoadWorkflow(input: CardLoadWorkflowInput): Promise<CardLoadResult> {
  const state: CompensationState = { status: 'holding' };
  let resolution: OperatorLoadResolution | undefined;
  setHandler(cardLoadStateQuery, () => state);
  setHandler(resolveCardLoadSignal, (value) => {
    resolution = value;
  });
  const activities = patched('card-load-local-activities') ? local : remote;
  const { postCardLoad, voidCardLoad, queueNotification } = activities;
  const placeCardLoadPending = activities[recordedActivityTypes.placeCardLoadPending];

  let pending;
  try {
    pending = await placeCardLoadPending(input);
  } catch (error) {
    if (!isDefiniteRefusal(error)) throw error;
    state.status = 'rejected';
    return { status: 'rejected', reason: failureMessage(error) };
  }

  state.status = 'loading';
  const outcome = await loadWithCertainty(input.loadId, state, () => resolution);
  if ('loaded' in outcome) {
    state.status = 'posting';
    await postCardLoad({
      loadId: input.loadId,
      providerLoadToken: outcome.loaded,
      spreadMinor: pending.spreadMinor,
    });
    state.status = 'loaded';
    await queueNotification({
      id: `card-loaded:${input.loadId}`,
      userId: input.userId,
      kind: 'card_loaded',
      data: { cardId: input.cardId, usdMinor: pending.usdMinor },
    });
    return { status: 'loaded', usdMinor: pending.usdMinor, providerLoadToken: outcome.loaded };
  }

  state.status = 'voiding';
  await compensateOrStop(state, () => voidCardLoad({ loadId: input.loadId, reason: outcome.refused }));
  state.status = 'failed';
  await queueNotification({
    id: `card-load-failed:${input.loadId}`,
    userId: input.userId,
    kind: 'card_load_failed',
    data: { cardId: input.cardId, reason: outcome.refused.slice(0, 200) },
  });
  return { status: 'failed', reason: outcome.refused };
}
