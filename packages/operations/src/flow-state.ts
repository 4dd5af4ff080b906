// Reading a flow's state through its query and signalling it, with the bounds an operator's request needs: a query
// waits at most `queryTimeoutMs` (a flow whose worker is down does not hold the request), a missing workflow is a
// 404, an unreachable one a 503; after a signal, the flow's state is read again until it leaves the state the
// operator acted on, for at most `settleWaitMs`, so the answer says what the flow did with it.
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError } from '@cardgate/errors';

export interface FlowAccess {
  readonly client: Client;
  /** The workers' task queue: operators see and act on that queue's flows only. */
  readonly taskQueue: string;
  /** One query's bound. */
  readonly queryTimeoutMs: number;
  /** How long an action waits for the flow to move after its signal. */
  readonly settleWaitMs: number;
}

/** Between two reads of a flow's state while it settles. */
const settlePollMs = 100;

/** The client turns the server's NOT_FOUND (no such workflow, or a signal to one that has closed) into this. */
const isNotFound = (error: unknown): boolean => error instanceof WorkflowNotFoundError;

/** The answer of `queryName` on the workflow's current run. */
export async function queryFlow<T>(access: FlowAccess, workflowId: string, queryName: string): Promise<T> {
  const handle = access.client.workflow.getHandle(workflowId);
  try {
    return await access.client.withDeadline(Date.now() + access.queryTimeoutMs, () =>
      handle.query<T>(queryName),
    );
  } catch (error) {
    if (isNotFound(error))
      throw new AppError('not_found', `no flow ${workflowId}`, { reason: 'flow_not_found', cause: error });
    throw new AppError('unavailable', `flow ${workflowId} did not answer its state query`, {
      reason: 'flow_unreachable',
      cause: error,
      internalMessage: `query ${queryName} of ${workflowId}: ${String(error)}`,
    });
  }
}

export async function signalFlow(
  access: FlowAccess,
  workflowId: string,
  signalName: string,
  args: readonly unknown[] = [],
): Promise<void> {
  const handle = access.client.workflow.getHandle(workflowId);
  try {
    await access.client.withDeadline(Date.now() + access.queryTimeoutMs, () =>
      handle.signal(signalName, ...args),
    );
  } catch (error) {
    if (isNotFound(error))
      throw new AppError('not_found', `no running flow ${workflowId}`, {
        reason: 'flow_not_found',
        cause: error,
      });
    // The signal may have reached the server before the deadline: the operator reads the state and repeats if needed
    // (every operator signal is idempotent in its workflow).
    throw new AppError('ambiguous', `signalling ${workflowId} did not complete`, {
      reason: 'signal_unconfirmed',
      cause: error,
    });
  }
}

/** Reads the state with `read` until `moved` says it changed, at most settleWaitMs; answers the last state read. */
export async function settledState<T>(
  access: FlowAccess,
  read: () => Promise<T>,
  moved: (state: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + access.settleWaitMs;
  let state = await read();
  while (!moved(state) && Date.now() < deadline) {
    await sleep(settlePollMs);
    state = await read();
  }
  return state;
}
