// Flows waiting for an operator, and the operator's ways to move them on.
//
// Finding them: Temporal's visibility lists the open card load and card issue workflows of the workers' task queue
// (the two flows with operator states), and each one's own state query says whether it waits (`needs_operator`,
// `compensation_failed`). Chosen over a search attribute because it needs no workflow change: a search attribute
// would add an upsert command to both workflows behind `patched()`, a registered attribute on every Temporal server,
// and flows already waiting would still not carry it. The cost is one query per open flow, bounded: at most
// `scannedMax` open flows are read, `queryConcurrencyMax` at a time, each within the query timeout; the answer says
// when it stopped early or a flow did not answer. Open card flows are few at any moment (a load or issue finishes in
// seconds unless it waits for an operator). The deposit flow's operator state (held for review) is listed from the
// ledger instead (held-deposits.ts).
//
// Acting: each action checks the flow's state first (a 409 when it is not waiting for that action, so a repeat or a
// stale screen changes nothing), sends the flow's signal, and answers the state the flow moved to.
import pLimit from 'p-limit';
import {
  cardIssueStateQueryName,
  cardIssueWorkflowId,
  cardIssueWorkflowType,
  cardLoadStateQueryName,
  cardLoadWorkflowId,
  cardLoadWorkflowType,
  resolveCardLoadSignalName,
  retryCardIssueSignalName,
  retryCompensationSignalName,
  type CompensationState,
  type OperatorLoadResolution,
} from '@cardgate/contracts';
import { AppError } from '@cardgate/errors';
import { queryFlow, settledState, signalFlow, type FlowAccess } from './flow-state.ts';

export const waitingStatuses = ['needs_operator', 'compensation_failed'] as const;
export type WaitingStatus = (typeof waitingStatuses)[number];

/** Open flows read per listing at most. */
export const scannedMax = 500;
/** State queries in flight at once. */
export const queryConcurrencyMax = 8;

interface FlowKind {
  readonly workflowType: string;
  readonly workflowIdPrefix: string;
  readonly stateQuery: string;
  /** What the operator sends when the flow needs an operator (compensation_failed always takes retryCompensation). */
  readonly operatorAction: 'resolveCardLoad' | 'retryCardIssue';
}

const flowKinds: readonly FlowKind[] = [
  {
    workflowType: cardLoadWorkflowType,
    workflowIdPrefix: cardLoadWorkflowId(''),
    stateQuery: cardLoadStateQueryName,
    operatorAction: 'resolveCardLoad',
  },
  {
    workflowType: cardIssueWorkflowType,
    workflowIdPrefix: cardIssueWorkflowId(''),
    stateQuery: cardIssueStateQueryName,
    operatorAction: 'retryCardIssue',
  },
];

export interface WaitingFlow {
  readonly workflowId: string;
  readonly workflowType: string;
  readonly status: WaitingStatus;
  readonly lastError: string | null;
  readonly startedAt: Date;
  /** The load or card the flow is about. */
  readonly subjectId: string;
  /** The signal that moves it on: resolveCardLoad, retryCardIssue or retryCompensation. */
  readonly action: string;
}

export interface WaitingFlows {
  readonly flows: readonly WaitingFlow[];
  /** Open flows whose state was read. */
  readonly scanned: number;
  /** More open flows than scannedMax: the list may be missing some. */
  readonly truncated: boolean;
  /** Open flows that did not answer their state query in time (their worker may be down). */
  readonly unanswered: readonly string[];
}

export interface FlowActionResult {
  readonly workflowId: string;
  readonly signal: string;
  /** The flow's status after the signal (still the waiting one when it had not moved within the wait). */
  readonly status: string;
}

function kindOfType(workflowType: string): FlowKind | undefined {
  return flowKinds.find((kind) => kind.workflowType === workflowType);
}

function kindOfWorkflowId(workflowId: string): FlowKind {
  const kind = flowKinds.find((candidate) => workflowId.startsWith(candidate.workflowIdPrefix));
  if (!kind)
    throw new AppError('rule_violation', `${workflowId} is not a card load or card issue flow`, {
      reason: 'not_an_operator_flow',
    });
  return kind;
}

/** A visibility query naming only constants of this module and the configured task queue (quoted, never user input). */
function openFlowsQuery(taskQueue: string): string {
  if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(taskQueue))
    throw new Error(`task queue ${taskQueue} cannot be queried`);
  const types = flowKinds.map((kind) => `WorkflowType = '${kind.workflowType}'`).join(' OR ');
  return `(${types}) AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}'`;
}

export function createWaitingFlows(flows: FlowAccess) {
  const limit = pLimit(queryConcurrencyMax);

  async function stateOf(kind: FlowKind, workflowId: string): Promise<CompensationState> {
    return queryFlow<CompensationState>(flows, workflowId, kind.stateQuery);
  }

  /** Checks the flow waits in `status`, signals it, and answers the status it moved to. */
  async function act(
    workflowId: string,
    kind: FlowKind,
    status: WaitingStatus,
    signal: string,
    args: readonly unknown[] = [],
  ): Promise<FlowActionResult> {
    const before = await stateOf(kind, workflowId);
    if (before.status !== status)
      throw new AppError('conflict', `${workflowId} is ${before.status}, not ${status}`, {
        reason: 'flow_not_waiting',
        details: { status: before.status },
      });
    await signalFlow(flows, workflowId, signal, args);
    const after = await settledState(
      flows,
      async () => {
        try {
          return await stateOf(kind, workflowId);
        } catch (error) {
          // A flow that finished right after the signal may be gone from the current run's queries: it moved.
          if (error instanceof AppError && error.reason === 'flow_not_found') return { status: 'closed' };
          throw error;
        }
      },
      (state) => state.status !== status,
    );
    return { workflowId, signal, status: after.status };
  }

  return {
    async list(): Promise<WaitingFlows> {
      const open: Array<{ workflowId: string; kind: FlowKind; startedAt: Date }> = [];
      let truncated = false;
      for await (const execution of flows.client.workflow.list({ query: openFlowsQuery(flows.taskQueue) })) {
        if (open.length >= scannedMax) {
          truncated = true;
          break;
        }
        const kind = kindOfType(execution.type);
        if (kind) open.push({ workflowId: execution.workflowId, kind, startedAt: execution.startTime });
      }
      const unanswered: string[] = [];
      const states = await Promise.all(
        open.map((flow) =>
          limit(async () => {
            try {
              return { flow, state: await stateOf(flow.kind, flow.workflowId) };
            } catch (error) {
              // Closed between the listing and the query: no longer waiting. Anything else is reported.
              if (!(error instanceof AppError && error.reason === 'flow_not_found'))
                unanswered.push(flow.workflowId);
              return undefined;
            }
          }),
        ),
      );
      const waiting = states.flatMap((entry): WaitingFlow[] => {
        if (!entry || !(waitingStatuses as readonly string[]).includes(entry.state.status)) return [];
        const status = entry.state.status as WaitingStatus;
        return [
          {
            workflowId: entry.flow.workflowId,
            workflowType: entry.flow.kind.workflowType,
            status,
            lastError: entry.state.lastError ?? null,
            startedAt: entry.flow.startedAt,
            subjectId: entry.flow.workflowId.slice(entry.flow.kind.workflowIdPrefix.length),
            action:
              status === 'compensation_failed' ? retryCompensationSignalName : entry.flow.kind.operatorAction,
          },
        ];
      });
      return { flows: waiting, scanned: open.length, truncated, unanswered };
    },

    /** Tells a card load in `needs_operator` what the provider did: loaded (with its load token) or not loaded. */
    resolveCardLoad(loadId: string, resolution: OperatorLoadResolution): Promise<FlowActionResult> {
      const kind = kindOfWorkflowId(cardLoadWorkflowId(loadId));
      return act(cardLoadWorkflowId(loadId), kind, 'needs_operator', resolveCardLoadSignalName, [resolution]);
    },

    /** Lets a card issue in `needs_operator` try another set of rounds at the provider. */
    retryCardIssue(cardId: string): Promise<FlowActionResult> {
      const workflowId = cardIssueWorkflowId(cardId);
      return act(workflowId, kindOfWorkflowId(workflowId), 'needs_operator', retryCardIssueSignalName);
    },

    /** Lets a flow stopped in `compensation_failed` try its compensation again. */
    retryCompensation(workflowId: string): Promise<FlowActionResult> {
      return act(
        workflowId,
        kindOfWorkflowId(workflowId),
        'compensation_failed',
        retryCompensationSignalName,
      );
    },
  };
}
