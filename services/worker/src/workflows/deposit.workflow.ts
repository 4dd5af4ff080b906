// One workflow per deposit, started or signalled by the watcher's outbox. It follows the deposit's state on chain
// (seen, orphaned, seen again, final), ignoring repeated and stale events by their sequence, and acts only once the
// deposit is final: an orphaned deposit never reaches the activities. On final it credits the owner's USDT wallet
// (fee to revenue) or holds it for an operator's review when it is below the minimum; if the owner has auto-load
// on a card, it continues with a card load (a child workflow with the deposit's own load id); then it queues a
// notification. A deposit first seen before it is final is also told to its owner when seen. Histories recorded
// before the credit existed replay through the `deposit-ledger-credit` patch, those recorded before its database
// steps became local activities through `deposit-local-activities`, and those from before the seen notification
// through `deposit-seen-notification`.
import {
  condition,
  defineSignal,
  executeChild,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  cardLoadWorkflowId,
  depositEventSignalName,
  depositLoadId,
  depositReviewSignal,
  depositStateQuery,
  type DepositEvent,
  type DepositReviewDecision,
  type DepositWorkflowInput,
  type DepositWorkflowResult,
} from '@cardgate/contracts';
import { USDT, parseMinorUnits } from '@cardgate/money';
import type { Activities } from '../activities/index.ts';
import { cardLoadWorkflow } from './card-load.workflow.ts';
import { ledgerActivity, ledgerLocalActivity, shortActivity, shortLocalActivity } from './timeouts.ts';

export const depositEventSignal = defineSignal<[DepositEvent]>(depositEventSignalName);

// Regular activities for histories recorded before the `deposit-local-activities` patch, local ones after it.
const remote = {
  short: proxyActivities<Activities>(shortActivity),
  ledger: proxyActivities<Activities>(ledgerActivity),
};
const local = {
  short: proxyLocalActivities<Activities>(shortLocalActivity),
  ledger: proxyLocalActivities<Activities>(ledgerLocalActivity),
};

/**
 * A patch whose marker every history reaching this point has, called right after a local activity. The local
 * activity's marker can be written at the end of one workflow task while the workflow went on (and wrote the patch
 * marker) only in the next one: under load the task is completed as a heartbeat just after the activity finished.
 * On replay Temporal's core hands the activity's result over with the first task's markers, when the patch's marker
 * (announced task by task) is not known yet, so a bare `patched()` would answer false there and the replay fails
 * ("Non-deprecated patch marker encountered", TMPRL1100: a deposit's state query failed so under bench:api). Waiting
 * for the patch to be known answers true at once when it runs live or its marker is in the same task, and in the
 * next activation (the one announcing the marker) when it is not; the commands are the same either way.
 */
async function markerAfterLocalActivity(patchId: string): Promise<true> {
  await condition(() => patched(patchId));
  return true;
}

export async function depositWorkflow(input: DepositWorkflowInput): Promise<DepositWorkflowResult> {
  let latest: DepositEvent | undefined;
  let eventsIgnored = 0;
  let review: DepositReviewDecision | undefined;
  let state = 'waiting_for_final';
  setHandler(depositStateQuery, () => state);
  setHandler(depositEventSignal, (event) => {
    const belongsHere = event.txId === input.txId && event.logIndex === input.logIndex;
    if (!belongsHere || (latest !== undefined && event.sequence <= latest.sequence)) {
      eventsIgnored += 1;
      return;
    }
    latest = event;
  });
  setHandler(depositReviewSignal, (decision) => {
    review ??= decision;
  });
  // The owner hears of a deposit as soon as it is seen on chain, once (histories recorded before this notification
  // replay through the `deposit-seen-notification` patch). A deposit whose first event is already final gets only the
  // credited notification.
  const seenNotifies = patched('deposit-seen-notification');
  if (seenNotifies) {
    await condition(() => latest !== undefined);
    const first = latest!;
    if (first.event === 'seen')
      await local.short.queueDepositSeenNotification({
        txId: first.txId,
        logIndex: first.logIndex,
        toAddress: first.to,
        amountMinor: first.amountMinor,
      });
  }
  // An orphaned deposit waits here for as long as it takes: it may be re-included in a later block.
  await condition(() => latest?.event === 'final');
  const final = latest!;
  // Patches that come after a local activity are known from the patches before them (see markerAfterLocalActivity):
  // every history with the seen notification also has local activities, and every one with local activities has
  // the credit.
  const usesLocal = seenNotifies
    ? await markerAfterLocalActivity('deposit-local-activities')
    : patched('deposit-local-activities');
  const activities = usesLocal ? local : remote;
  const { recordDepositReceipt } = activities.short;
  const { creditDeposit, decideHeldDeposit, findAutoLoadCard, queueNotification } = activities.ledger;
  await recordDepositReceipt({
    txId: final.txId,
    logIndex: final.logIndex,
    workflowId: workflowInfo().workflowId,
  });
  const result = {
    txId: final.txId,
    logIndex: final.logIndex,
    amountMinor: final.amountMinor,
    eventsIgnored,
  };
  const credits = usesLocal
    ? await markerAfterLocalActivity('deposit-ledger-credit')
    : patched('deposit-ledger-credit');
  if (!credits) return result;

  state = 'crediting';
  let credit = await creditDeposit({
    txId: final.txId,
    logIndex: final.logIndex,
    toAddress: final.to,
    asset: final.asset,
    amountMinor: final.amountMinor,
  });
  if (credit.status === 'held_for_review') {
    state = 'held_for_review';
    await queueNotification({
      id: `deposit-held:${final.txId}:${final.logIndex}`,
      userId: credit.userId,
      kind: 'deposit_held',
      data: { amountMinor: credit.grossMinor },
    });
    await condition(() => review !== undefined);
    credit = await decideHeldDeposit({
      txId: final.txId,
      logIndex: final.logIndex,
      userId: credit.userId,
      approve: review!.approve,
    });
    if (!review!.approve) {
      state = 'rejected';
      return { ...result, credit };
    }
  }
  state = 'credited';
  await queueNotification({
    id: `deposit-credited:${final.txId}:${final.logIndex}`,
    userId: credit.userId,
    kind: 'deposit_credited',
    data: { grossMinor: credit.grossMinor, feeMinor: credit.feeMinor, netMinor: credit.netMinor },
  });

  const net = parseMinorUnits(credit.netMinor, USDT, { allowZero: true });
  const autoLoad = net.minor > 0n ? await findAutoLoadCard({ userId: credit.userId }) : null;
  if (!autoLoad) return { ...result, credit };
  state = 'loading_card';
  const loadId = depositLoadId(final.txId, final.logIndex);
  const cardLoad = await executeChild(cardLoadWorkflow, {
    workflowId: cardLoadWorkflowId(loadId),
    args: [{ loadId, userId: credit.userId, cardId: autoLoad.cardId, amountUsdtMinor: credit.netMinor }],
  });
  state = `card_${cardLoad.status}`;
  return { ...result, credit, cardLoad };
}
