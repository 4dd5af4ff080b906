// The reconciliation the Temporal Schedule starts every hour: one activity that runs the whole comparison and stores
// it. A new workflow type; the schedule overlaps nothing (skip policy), so two runs never compete.
import { proxyActivities } from '@temporalio/workflow';
import type { ReconciliationWorkflowInput, ReconciliationWorkflowResult } from '@cardgate/contracts';
import type { Activities } from '../activities/index.ts';
import { reconciliationActivity } from './timeouts.ts';

const { runReconciliation } = proxyActivities<Activities>(reconciliationActivity);

export async function reconciliationWorkflow(
  input: ReconciliationWorkflowInput,
): Promise<ReconciliationWorkflowResult> {
  return runReconciliation({ trigger: input.trigger });
}
