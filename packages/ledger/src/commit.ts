// One batch from plan to commit, in one round trip when the ledger already knows the state the batch depends on:
// plan it (the engine), assert the plan balances, send it with its assumptions in one autocommit call, assert that
// what the database read back is what was planned. A batch naming an account or a pending transfer this ledger has not seen
// reads it first (a second round trip). When another process has changed what the plan assumed, the database answers
// with the current state and the batch is planned again; after `optimisticAttemptsMax` such answers it runs in a
// transaction that locks and reads its state first, which cannot find it out of date.
import type { DatabasePool } from '@cardgate/db';
import { applyGroups, type AccountState, type EngineGroup, type EngineOutput } from './engine.ts';
import { assertPlanBalanced, assertWritten, LedgerInvariantError, plannedFigures } from './invariants.ts';
import type { KnownState } from './known-state.ts';
import type { LedgerError } from './ledger-error.ts';
import {
  applyBatch,
  loadState,
  lockAndLoad,
  type ApplyAnswer,
  type Assumptions,
  type BatchNeeds,
  type LoadedBatch,
} from './store.ts';
import type { Transfer, TransferResult } from './types.ts';

export type GroupResult = TransferResult[] | LedgerError;

export interface BatchCommitterOptions {
  readonly pool: DatabasePool;
  readonly now: () => Date;
  readonly known: KnownState;
  /** Plans made from state the database then found out of date, before the batch takes its locks first. */
  readonly optimisticAttemptsMax: number;
}

type Connection = Parameters<Parameters<DatabasePool['transaction']>[0]>[0] | DatabasePool;

type Applied =
  { readonly written: true; readonly results: GroupResult[] } | Extract<ApplyAnswer, { written: false }>;

function ascending(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function needsOf(groups: readonly EngineGroup[]): BatchNeeds {
  const accountIds = new Set<bigint>();
  const transferIds = new Set<string>();
  const pendingIds = new Set<string>();
  for (const group of groups)
    for (const request of group.requests) {
      transferIds.add(request.id);
      if ('pendingId' in request) pendingIds.add(request.pendingId);
      else accountIds.add(request.debitAccountId).add(request.creditAccountId);
    }
  return { accountIds: [...accountIds], transferIds: [...transferIds], pendingIds: [...pendingIds] };
}

/** Everything the engine reads from `view` for this batch, as the database must still hold it for the plan to stand. */
export function assumptionsOf(view: LoadedBatch, needs: BatchNeeds): Assumptions {
  const accountIds = new Set(needs.accountIds);
  for (const id of needs.pendingIds) {
    const pending = view.existing.get(id);
    if (pending) accountIds.add(pending.debitAccountId).add(pending.creditAccountId);
  }
  return {
    accounts: [...accountIds].sort(ascending).map((id) => ({ id, state: view.accounts.get(id) })),
    absentIds: [...new Set([...needs.transferIds, ...needs.pendingIds])].filter(
      (id) => !view.existing.has(id),
    ),
    openPendingIds: needs.pendingIds.filter(
      (id) => view.existing.get(id)?.kind === 'pending' && !view.resolutions.has(id),
    ),
  };
}

/** How batches reached the database, counted since the ledger was made: what bench:ledger prints per scenario. */
export interface CommitCounts {
  /** Batches committed or refused. */
  batches: number;
  /** Reads of state the ledger did not know (ledger_load_state): one extra round trip each. */
  loads: number;
  /** Plans the database found out of date and answered with the current state: one extra round trip each. */
  staleAnswers: number;
  /** Batches that ran in a transaction after locking and reading their state (four round trips). */
  lockedFallbacks: number;
}

export function createBatchCommitter(options: BatchCommitterOptions) {
  const { pool, known } = options;
  const counts: CommitCounts = { batches: 0, loads: 0, staleAnswers: 0, lockedFallbacks: 0 };

  async function planAndApply(
    connection: Connection,
    view: LoadedBatch,
    groups: readonly EngineGroup[],
    needs: BatchNeeds,
  ): Promise<Applied> {
    const transferIds = needs.transferIds;
    const plan = applyGroups({ ...view, now: options.now() }, groups);
    assertPlanBalanced(plan, transferIds);
    const expected = plannedFigures(plan);
    const assumptions = assumptionsOf(view, needs);
    const answer = await applyBatch(connection, plan, assumptions, needs, expected, transferIds);
    if (!answer.written) return answer;
    assertWritten(expected, answer.figures, transferIds);
    const created = storedTransfers(plan, answer.assigned, transferIds);
    known.learnWritten(
      accountsAfter(assumptions, plan),
      plan.pendingOpened.map(({ id }) => created.get(id)!),
      plan.inserts.flatMap((insert) => insert.pendingId ?? []),
    );
    return { written: true, results: resultsOf(plan, view.existing, created, transferIds) };
  }

  async function commitOptimistic(groups: readonly EngineGroup[], needs: BatchNeeds): Promise<GroupResult[]> {
    const cached = known.viewFor(needs);
    let view: LoadedBatch = cached;
    if (!cached.complete) {
      counts.loads += 1;
      view = await loadState(pool, needs);
      known.learnLoaded(needs, view);
    }
    for (let attempt = 1; attempt <= options.optimisticAttemptsMax; attempt += 1) {
      const applied = await planAndApply(pool, view, groups, needs);
      if (applied.written) return applied.results;
      counts.staleAnswers += 1;
      view = applied.state;
      known.learnLoaded(needs, view);
    }
    counts.lockedFallbacks += 1;
    return pool.transaction(async (connection) => {
      const locked = await lockAndLoad(connection, needs);
      const applied = await planAndApply(connection, locked, groups, needs);
      if (!applied.written)
        throw new LedgerInvariantError('the state changed under the batch’s own locks', needs.transferIds);
      return applied.results;
    });
  }

  /** Commits one batch; returns one outcome per group, in order. */
  async function commit(groups: readonly EngineGroup[]): Promise<GroupResult[]> {
    const needs = needsOf(groups);
    counts.batches += 1;
    try {
      return await commitOptimistic(groups, needs);
    } catch (error) {
      // The outcome is unknown (the call may have committed before it failed): what the batch named is read afresh.
      known.forget(needs);
      throw error;
    }
  }

  return { commit, counts: (): CommitCounts => ({ ...counts }) };
}

/** The accounts a committed batch checked, as it left them: changed ones with their new totals. */
function accountsAfter(assumptions: Assumptions, plan: EngineOutput): AccountState[] {
  const after = new Map(plan.changedAccounts.map((change) => [change.id, change.after]));
  return assumptions.accounts.flatMap(({ id, state }) =>
    state === undefined ? [] : [{ ...state, ...(after.get(id) ?? {}) }],
  );
}

function storedTransfers(
  plan: EngineOutput,
  assigned: ReadonlyMap<string, { readonly seq: bigint; readonly createdAt: Date }>,
  transferIds: readonly string[],
): Map<string, Transfer> {
  const created = new Map<string, Transfer>();
  for (const insert of plan.inserts) {
    const slot = assigned.get(insert.id);
    if (!slot)
      throw new LedgerInvariantError(`transfer ${insert.id} was planned but not inserted`, transferIds);
    created.set(insert.id, { ...insert, seq: slot.seq, createdAt: slot.createdAt });
  }
  return created;
}

function resultsOf(
  plan: EngineOutput,
  existing: ReadonlyMap<string, Transfer>,
  created: ReadonlyMap<string, Transfer>,
  transferIds: readonly string[],
): GroupResult[] {
  return plan.outcomes.map((outcome) => {
    if (!outcome.ok) return outcome.error;
    return outcome.results.map((result): TransferResult => {
      const transfer = existing.get(result.transfer.id) ?? created.get(result.transfer.id);
      // An `exists` answers with a committed transfer or one this batch created; anything else is a planner bug.
      if (!transfer)
        throw new LedgerInvariantError(`no stored transfer for ${result.transfer.id}`, transferIds);
      return { status: result.status, transfer };
    });
  });
}
