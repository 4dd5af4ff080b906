// The card load sweep's activity: a load's USDT is held (or about to be) from the moment its row is written, and only
// its workflow ever posts or voids that hold. Two paths leave a load `holding` (or `loading`) with no workflow going
// on: the API request that wrote the row and the hold died before it started the workflow (and its client never
// came back), or the workflow was terminated (by an operator, or a run timeout) before it finished. The sweep finds
// loads unfinished for longer than a bound and starts their workflow under the load's own workflow id: Temporal
// refuses the start when that workflow is running or completed (so a running load, e.g. one waiting for an operator,
// is left alone, and two sweeps or a sweep and the API's own start never make two runs), and allows it after a run
// that was terminated, failed or timed out. Every step of the new run is idempotent by the load's id (the load row,
// the hold's transfer id, the provider's idempotency key), so the hold is resolved once: posted when the provider
// loaded the card, voided when it definitely did not.
import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowIdReusePolicy,
} from '@temporalio/client';
import type { CardStore } from '@cardgate/card-store';
import type { Logger } from '@cardgate/config';
import {
  cardLoadWorkflowId,
  cardLoadWorkflowType,
  cardLoadWorkflowInputOf,
  type CardLoadSweepInput,
  type CardLoadSweepResult,
  type CardLoadWorkflow,
} from '@cardgate/contracts';

export interface CardLoadSweepDependencies {
  readonly store: CardStore;
  /** Where the card load workflows run. */
  readonly temporal: { readonly client: Client; readonly taskQueue: string };
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** Loads read per page, and pages per sweep: at most this many loads are looked at in one sweep. */
const loadsPerPage = 100;
const pagesPerSweepMax = 10;

/** A new run only after one that did not complete: a completed load workflow is never run again. */
const afterFailedRunsOnly: WorkflowIdReusePolicy = 'ALLOW_DUPLICATE_FAILED_ONLY';

export function createCardLoadSweepActivities(dependencies: CardLoadSweepDependencies) {
  const { store, temporal, logger } = dependencies;
  const now = dependencies.now ?? (() => new Date());

  return {
    async resumeUnfinishedCardLoads(input: CardLoadSweepInput): Promise<CardLoadSweepResult> {
      const before = new Date(now().getTime() - input.unfinishedForMs);
      let found = 0;
      let started = 0;
      let running = 0;
      let completedUnfinished = 0;
      let after: { createdAt: Date; loadId: string } | undefined;
      for (let page = 0; page < pagesPerSweepMax; page += 1) {
        const loads = await store.loads.unfinishedBefore({
          before,
          limit: loadsPerPage,
          ...(after ? { after } : {}),
        });
        for (const load of loads) {
          found += 1;
          try {
            await temporal.client.workflow.start<CardLoadWorkflow>(cardLoadWorkflowType, {
              workflowId: cardLoadWorkflowId(load.loadId),
              taskQueue: temporal.taskQueue,
              args: [cardLoadWorkflowInputOf(load)],
              workflowIdReusePolicy: afterFailedRunsOnly,
            });
            started += 1;
            logger.warn(
              { loadId: load.loadId, status: load.status, since: load.createdAt.toISOString() },
              'card load sweep: started the workflow of an unfinished load',
            );
          } catch (error) {
            if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
            const { status } = await temporal.client.workflow
              .getHandle(cardLoadWorkflowId(load.loadId))
              .describe();
            if (status.name === 'RUNNING') running += 1;
            else {
              // Its workflow completed and left the load unfinished: no run of it will resolve the hold again.
              completedUnfinished += 1;
              logger.error(
                { loadId: load.loadId, status: load.status, workflowStatus: status.name },
                'card load sweep: an unfinished load whose workflow completed needs an operator',
              );
            }
          }
        }
        const last = loads.at(-1);
        if (!last || loads.length < loadsPerPage) break;
        after = { createdAt: last.createdAt, loadId: last.loadId };
      }
      if (found > 0) logger.info({ found, started, running, completedUnfinished }, 'card load sweep done');
      return { found, started, running, completedUnfinished };
    },
  };
}
