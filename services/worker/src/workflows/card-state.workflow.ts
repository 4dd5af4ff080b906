// One freeze or unfreeze of a card: pause or resume it at the provider, then record the state in `card`. The provider
// call is retried by Temporal (providerActivity) and then in rounds with growing pauses: setting a state is idempotent
// at the provider, so repeating it is always safe. A definite refusal (a closed card) or silence through every round
// ends the request with the state left as it was, so the user can ask again.
import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { CardStateResult, CardStateWorkflowInput } from '@cardgate/contracts';
import type { Activities } from '../activities/index.ts';
import { failureMessage, isDefiniteRefusal } from './failure-kinds.ts';
import { providerActivity, shortLocalActivity } from './timeouts.ts';

const { setProviderCardState } = proxyActivities<Activities>(providerActivity);
const { recordCardState, abandonCardState } = proxyLocalActivities<Activities>(shortLocalActivity);

/** Rounds of provider attempts (each up to providerActivity's attempts); with the pauses below, about 15 minutes. */
const roundsMax = 8;

export async function cardStateWorkflow(input: CardStateWorkflowInput): Promise<CardStateResult> {
  let reason = 'the provider never answered';
  for (let round = 1; round <= roundsMax; round += 1) {
    try {
      await setProviderCardState(input);
      await recordCardState({ cardId: input.cardId, state: input.state });
      return { status: 'done', cardId: input.cardId, state: input.state };
    } catch (error) {
      reason = failureMessage(error);
      if (isDefiniteRefusal(error)) break;
      await sleep(Math.min(2 ** round * 1_000, 5 * 60_000));
    }
  }
  await abandonCardState({ cardId: input.cardId, state: input.state, reason: reason.slice(0, 200) });
  return { status: 'refused', cardId: input.cardId, reason };
}
