// The card load sweep the Temporal Schedule starts every few minutes: one activity that starts the workflow of every
// load left unfinished (see activities/card-load-sweep.ts). A new workflow type; the schedule overlaps nothing (skip
// policy), and two sweeps that did overlap would still start each load's workflow once (its id decides).
import { proxyActivities } from '@temporalio/workflow';
import type { CardLoadSweepInput, CardLoadSweepResult } from '@cardgate/contracts';
import type { Activities } from '../activities/index.ts';
import { cardLoadSweepActivity } from './timeouts.ts';

const { resumeUnfinishedCardLoads } = proxyActivities<Activities>(cardLoadSweepActivity);

export async function cardLoadSweepWorkflow(input: CardLoadSweepInput): Promise<CardLoadSweepResult> {
  return resumeUnfinishedCardLoads(input);
}
