// One card issue: put the issuance fee pending, create the card at the provider (the card id is the idempotency key, so a
// repeat returns the same card), then post the fee and open the card; a definite refusal voids the fee instead.
import {
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import {
  cardIssueStateQuery,
  retryCardIssueSignal,
  type CardIssueResult,
  type CardIssueWorkflowInput,
} from '@cardgate/contracts';
import type { Activities } from '../activities/index.ts';
import { compensateOrStop, type CompensationState } from './compensation.ts';
import { failureMessage, isDefiniteRefusal } from './failure-kinds.ts';
import { ledgerActivity, ledgerLocalActivity, providerActivity } from './timeouts.ts';
import { recordWorkflowOutcome } from './outcomes.ts';

// Regular activities for histories recorded before the `card-issue-local-activities` patch, local ones after it.
const remote = proxyActivities<Activities>(ledgerActivity);
const local = proxyLocalActivities<Activities>(ledgerLocalActivity);
const { createProviderCard } = proxyActivities<Activities>(providerActivity);

const createRoundsMax = 20;

export async function cardIssueWorkflow(input: CardIssueWorkflowInput): Promise<CardIssueResult> {
  const state: CompensationState = { status: 'charging_fee' };
  setHandler(cardIssueStateQuery, () => state);
  const { beginCardIssue, completeCardIssue, failCardIssue, queueNotification } = patched(
    'card-issue-local-activities',
  )
    ? local
    : remote;
  try {
    await beginCardIssue(input);
  } catch (error) {
    if (!isDefiniteRefusal(error)) throw error;
    const reason = failureMessage(error);
    await compensateOrStop(state, () => failCardIssue({ cardId: input.cardId, reason }));
    state.status = 'rejected';
    return { status: 'rejected', cardId: input.cardId, reason };
  }

  let retryRequested = false;
  setHandler(retryCardIssueSignal, () => {
    retryRequested = true;
  });
  let refusal: string | undefined;
  let created: { providerToken: string; lastFour: string } | undefined;
  // Creation is idempotent by the card id: an unknown outcome is settled by repeating it, with growing pauses. The
  // card may exist at the provider even when no answer came, so silence is never treated as a refusal: after the
  // rounds, the workflow waits for an operator instead of voiding the fee.
  for (let set = 1; set <= 100 && !created && !refusal; set += 1) {
    state.status = 'creating';
    for (let round = 1; round <= createRoundsMax && !created && !refusal; round += 1) {
      try {
        created = await createProviderCard({ cardId: input.cardId });
      } catch (error) {
        if (isDefiniteRefusal(error)) refusal = failureMessage(error);
        else {
          state.lastError = failureMessage(error);
          await sleep(Math.min(2 ** round * 1_000, 5 * 60_000));
        }
      }
    }
    if (!created && !refusal) {
      state.status = 'needs_operator';
      recordWorkflowOutcome('needs_operator');
      retryRequested = false;
      await condition(() => retryRequested);
    }
  }
  if (created) {
    // lastFour joined the activity's input later; an input is not part of what replay compares, so no patch.
    await completeCardIssue({ ...input, providerToken: created.providerToken, lastFour: created.lastFour });
    state.status = 'issued';
    await queueNotification({
      id: `card-issued:${input.cardId}`,
      userId: input.userId,
      kind: 'card_issued',
      data: { cardId: input.cardId, lastFour: created.lastFour },
    });
    return { status: 'issued', cardId: input.cardId, ...created };
  }
  const reason = refusal ?? 'the provider never answered';
  state.status = 'voiding_fee';
  await compensateOrStop(state, () => failCardIssue({ cardId: input.cardId, reason }));
  state.status = 'failed';
  return { status: 'failed', cardId: input.cardId, reason };
}
