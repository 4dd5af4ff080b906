// One workflow per deposit, started or signalled by the watcher's outbox. It follows the deposit's state on chain
// (seen, orphaned, seen again, final), ignoring repeated and stale events by their sequence, and acts only once the
// deposit is final: an orphaned deposit never reaches the activities. Until the ledger credit lands, the final
// action is recording the receipt.
import { condition, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  depositEventSignalName,
  type DepositEvent,
  type DepositWorkflowInput,
} from '@cardgate/workflow-contracts';
import type { Activities } from '../activities/index.ts';
import { shortActivity } from './timeouts.ts';

export const depositEventSignal = defineSignal<[DepositEvent]>(depositEventSignalName);

const { recordDepositReceipt } = proxyActivities<Activities>(shortActivity);

export interface DepositWorkflowResult {
  readonly txId: string;
  readonly logIndex: number;
  readonly amountMinor: string;
  readonly eventsIgnored: number;
}

export async function depositWorkflow(input: DepositWorkflowInput): Promise<DepositWorkflowResult> {
  let latest: DepositEvent | undefined;
  let eventsIgnored = 0;
  setHandler(depositEventSignal, (event) => {
    const belongsHere = event.txId === input.txId && event.logIndex === input.logIndex;
    if (!belongsHere || (latest !== undefined && event.sequence <= latest.sequence)) {
      eventsIgnored += 1;
      return;
    }
    latest = event;
  });
  // An orphaned deposit waits here for as long as it takes: it may be re-included in a later block.
  await condition(() => latest?.event === 'final');
  const final = latest!;
  await recordDepositReceipt({
    txId: final.txId,
    logIndex: final.logIndex,
    workflowId: workflowInfo().workflowId,
  });
  return { txId: final.txId, logIndex: final.logIndex, amountMinor: final.amountMinor, eventsIgnored };
}
