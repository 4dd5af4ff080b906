// The operators' actions, one implementation each: the API's /v1/ops routes and the ops command line call these, so
// both check the same things and write the same audit rows. Every call is audited (reads too: looking at a user's
// money is an action worth a record), with its outcome.
import type { Client } from '@temporalio/client';
import { createCardStore } from '@cardgate/card-store';
import type { OperatorLoadResolution } from '@cardgate/contracts';
import type { DatabasePool } from '@cardgate/db';
import { createLedgerReads, verifyLedger, type VerifyReport } from '@cardgate/ledger';
import { createUserStore } from '@cardgate/users';
import { createAuditedRunner, type OperatorCall } from './audited.ts';
import { createCardFreeze, type CardFreezeResult } from './card-freeze.ts';
import type { FlowAccess } from './flow-state.ts';
import { createHeldDeposits, type DepositDecision, type HeldDepositPage } from './held-deposits.ts';
import { checkId, checkUserQuery, parseDepositRef } from './refs.ts';
import { createUserLookUp, type UserDetails } from './user-lookup.ts';
import { createWaitingFlows, type FlowActionResult, type WaitingFlows } from './waiting-flows.ts';

export interface OperationsDependencies {
  readonly pool: DatabasePool;
  readonly temporal: { readonly client: Client; readonly taskQueue: string };
  /** One state query's bound (default 3 s). */
  readonly queryTimeoutMs?: number;
  /** How long an action waits for its flow to move after the signal (default 5 s). */
  readonly settleWaitMs?: number;
}

/** The actions and the audit names they are recorded under (operator_audit.action). */
export const operatorActions = {
  lookUpUser: 'user.look_up',
  listHeldDeposits: 'deposits.list_held',
  approveDeposit: 'deposit.approve',
  rejectDeposit: 'deposit.reject',
  listWaitingFlows: 'flows.list_waiting',
  resolveCardLoad: 'card_load.resolve',
  retryCardIssue: 'card_issue.retry',
  retryCompensation: 'compensation.retry',
  verifyLedger: 'ledger.verify',
  freezeCard: 'card.freeze',
} as const;

export type OperatorAction = (typeof operatorActions)[keyof typeof operatorActions];

export function createOperations(dependencies: OperationsDependencies) {
  const { pool } = dependencies;
  const audited = createAuditedRunner(pool);
  const reads = createLedgerReads(pool);
  const cards = createCardStore(pool);
  const flows: FlowAccess = {
    client: dependencies.temporal.client,
    taskQueue: dependencies.temporal.taskQueue,
    queryTimeoutMs: dependencies.queryTimeoutMs ?? 3_000,
    settleWaitMs: dependencies.settleWaitMs ?? 5_000,
  };
  const lookUp = createUserLookUp({ users: createUserStore(pool), reads, cards });
  const held = createHeldDeposits({ reads, flows });
  const waiting = createWaitingFlows(flows);
  const freeze = createCardFreeze({
    cards,
    client: dependencies.temporal.client,
    taskQueue: dependencies.temporal.taskQueue,
  });

  const decide = (call: OperatorCall, depositRef: string, approve: boolean): Promise<DepositDecision> =>
    audited.run(
      call,
      approve ? operatorActions.approveDeposit : operatorActions.rejectDeposit,
      `deposit:${depositRef}`,
      () => held.decide(parseDepositRef(depositRef), approve),
      (result) => ({ state: result.state }),
    );

  return {
    lookUpUser: (call: OperatorCall, query: string): Promise<UserDetails[]> =>
      audited.run(
        call,
        operatorActions.lookUpUser,
        `user:${query}`,
        () => lookUp(checkUserQuery(query)),
        (found) => ({ users: found.length }),
      ),

    listHeldDeposits: (
      call: OperatorCall,
      page: { limit: number; after?: string | undefined },
    ): Promise<HeldDepositPage> =>
      audited.run(
        call,
        operatorActions.listHeldDeposits,
        'deposits:held',
        () => held.list(page),
        (result) => ({ count: result.items.length }),
      ),

    approveDeposit: (call: OperatorCall, depositRef: string) => decide(call, depositRef, true),
    rejectDeposit: (call: OperatorCall, depositRef: string) => decide(call, depositRef, false),

    listWaitingFlows: (call: OperatorCall): Promise<WaitingFlows> =>
      audited.run(
        call,
        operatorActions.listWaitingFlows,
        'flows:waiting',
        () => waiting.list(),
        (result) => ({ count: result.flows.length, scanned: result.scanned, truncated: result.truncated }),
      ),

    resolveCardLoad: (
      call: OperatorCall,
      loadId: string,
      resolution: OperatorLoadResolution,
    ): Promise<FlowActionResult> =>
      audited.run(
        call,
        operatorActions.resolveCardLoad,
        `card_load:${loadId}`,
        () =>
          waiting.resolveCardLoad(
            checkId('load id', loadId),
            resolution.outcome === 'loaded'
              ? {
                  outcome: 'loaded',
                  providerLoadToken: checkId('provider load token', resolution.providerLoadToken),
                }
              : { outcome: 'not_loaded' },
          ),
        (result) => ({
          outcome: resolution.outcome,
          ...(resolution.outcome === 'loaded' ? { providerLoadToken: resolution.providerLoadToken } : {}),
          status: result.status,
        }),
      ),

    retryCardIssue: (call: OperatorCall, cardId: string): Promise<FlowActionResult> =>
      audited.run(
        call,
        operatorActions.retryCardIssue,
        `card:${cardId}`,
        () => waiting.retryCardIssue(checkId('card id', cardId)),
        (result) => ({ status: result.status }),
      ),

    retryCompensation: (call: OperatorCall, workflowId: string): Promise<FlowActionResult> =>
      audited.run(
        call,
        operatorActions.retryCompensation,
        `workflow:${workflowId}`,
        () => waiting.retryCompensation(checkId('workflow id', workflowId)),
        (result) => ({ status: result.status }),
      ),

    verifyLedger: (call: OperatorCall): Promise<VerifyReport> =>
      audited.run(
        call,
        operatorActions.verifyLedger,
        'ledger',
        () => verifyLedger(pool),
        (report) => ({
          ok: report.ok,
          problems: report.problems.length,
          accounts: report.accountsChecked.toString(),
          transfers: report.transfersChecked.toString(),
        }),
      ),

    freezeCard: (call: OperatorCall, cardId: string): Promise<CardFreezeResult> =>
      audited.run(call, operatorActions.freezeCard, `card:${cardId}`, () =>
        freeze(call, checkId('card id', cardId)),
      ),

    /** Records an action refused before it ran (a token without the scope, at the API). */
    recordRefusal: (
      call: OperatorCall,
      action: OperatorAction,
      target: string,
      reason: string,
    ): Promise<void> => audited.refused(call, action, target, reason),
  };
}

export type Operations = ReturnType<typeof createOperations>;
