// One workflow per provider transaction. It collects the transaction's events (signals from the API, and on start
// the events already stored), computes the ledger target from the whole set (order and repeats do not matter), has
// the ledger moved to it, and keeps a Temporal timer for the pending debit's expiry (7 days, 30 for the listed MCCs). After
// a quiet period with nothing pending it completes; a later event starts a new run that resumes from the stored events
// and from what the ledger already holds for the transaction.
import {
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import {
  cardTransactionEventSignal,
  cardTransactionStateQuery,
  minorTextOf,
  type AppliedCardTransaction,
  type CardTransactionEvent,
  type CardTransactionWorkflowInput,
} from '@cardgate/contracts';
import type { Activities } from '../activities/index.ts';
import { pendingExpiresAtMs, targetOf } from '@cardgate/domain';
import { USD } from '@cardgate/money';
import { ledgerActivity, ledgerLocalActivity } from './timeouts.ts';

// Regular activities for histories recorded before the `card-transaction-local-activities` patch, local ones after.
const remote = proxyActivities<Activities>(ledgerActivity);
const local = proxyLocalActivities<Activities>(ledgerLocalActivity);

const quietPeriodMsDefault = 45 * 86_400_000;
/** Wake-ups per run; beyond it the run continues as new (events are reloaded from the database). */
const stepsPerRunMax = 200;

export async function cardTransactionWorkflow(
  input: CardTransactionWorkflowInput,
): Promise<AppliedCardTransaction> {
  const events = new Map<string, CardTransactionEvent>();
  let changed = false;
  let applied: AppliedCardTransaction | null = null;
  setHandler(cardTransactionStateQuery, () => applied);
  setHandler(cardTransactionEventSignal, (event) => {
    if (event.providerTransactionId !== input.providerTransactionId || events.has(event.eventId)) return;
    events.set(event.eventId, event);
    changed = true;
  });

  const { loadCardTransaction, applyCardTransaction } = patched('card-transaction-local-activities')
    ? local
    : remote;
  const stored = await loadCardTransaction({ providerTransactionId: input.providerTransactionId });
  for (const event of stored.events) if (!events.has(event.eventId)) events.set(event.eventId, event);
  let expired = stored.expired;

  for (let step = 1; step <= stepsPerRunMax; step += 1) {
    changed = false;
    const all = [...events.values()];
    const target = targetOf(all, { expired });
    // The wire names are recorded in histories: `holdMinor` carries the pending debit.
    const targetText = {
      holdMinor: minorTextOf(target.pendingDebitMinor, USD),
      pendingCreditMinor: minorTextOf(target.pendingCreditMinor, USD),
      debitedMinor: minorTextOf(target.debitedMinor, USD),
      creditedMinor: minorTextOf(target.creditedMinor, USD),
    };
    const same =
      applied !== null &&
      applied.holdMinor === targetText.holdMinor &&
      // Results recorded before pending credits existed carry none: the same as zero.
      (applied.pendingCreditMinor ?? '0') === targetText.pendingCreditMinor &&
      applied.debitedMinor === targetText.debitedMinor &&
      applied.creditedMinor === targetText.creditedMinor &&
      applied.expired === expired;
    if (!same)
      applied = await applyCardTransaction({
        providerTransactionId: input.providerTransactionId,
        cardToken: input.cardToken,
        target: targetText,
        expired,
      });

    const somethingOpen = target.pendingDebitMinor > 0n || target.pendingCreditMinor > 0n;
    const expiresAtMs = somethingOpen ? pendingExpiresAtMs(all, input.holdLifetimeOverrideMs) : null;
    const waitMs =
      expiresAtMs !== null
        ? Math.max(0, expiresAtMs - Date.now())
        : (input.quietPeriodMs ?? quietPeriodMsDefault);
    if (expiresAtMs !== null && waitMs === 0) {
      expired = true;
      continue;
    }
    const woken = await condition(() => changed, waitMs);
    if (woken) continue;
    if (expiresAtMs === null) return applied!; // quiet, nothing pending: done
    expired = true; // the pending debit outlived its authorization: release what is left
  }
  return continueAsNew<typeof cardTransactionWorkflow>(input);
}
