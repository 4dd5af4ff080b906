// The ledger's rules as pure code: given the accounts a batch names, the transfers that already exist and how the
// pending transfers it refers to were resolved, apply each group of requests (a linked batch: all or nothing) in
// order, and produce the rows to write. No I/O here, and the input is never changed: the engine works on copies of
// the accounts. The store loads the inputs and writes the outputs in one statement.
//
// Three steps per request, each its own function: plan (which transfer the request makes, refused if it cannot be
// made), apply (move the accounts' totals and check their flags) and, when any request of a group is refused, undo
// (put the group's accounts back and forget what it created or resolved).
import { LedgerError } from './ledger-error.ts';
import type { Metadata, Totals, Transfer, TransferKind, TransferRequest } from './types.ts';

export interface AccountState extends Totals {
  readonly id: bigint;
  readonly asset: string;
  readonly debitsMustNotExceedCredits: boolean;
  readonly creditsMustNotExceedDebits: boolean;
  readonly closed: boolean;
}

/** A transfer to insert: everything but the sequence number and commit time, which the database assigns. */
export type NewTransfer = Omit<Transfer, 'seq' | 'createdAt'>;

/** An internal request the expiry sweep makes; clients cannot send it. */
export interface ExpirePendingRequest {
  readonly type: 'expire_pending';
  readonly id: string;
  readonly code: string;
  readonly pendingId: string;
  readonly metadata?: Metadata;
}

export type EngineRequest = TransferRequest | ExpirePendingRequest;

export interface EngineGroup {
  readonly batchId: string;
  readonly requests: readonly EngineRequest[];
}

export interface EngineInput {
  /** The accounts the batch names and those of the pending transfers it refers to; absent: they do not exist. */
  readonly accounts: ReadonlyMap<bigint, AccountState>;
  /** Committed transfers whose ids the batch uses or refers to (as its own id or as a pending id). */
  readonly existing: ReadonlyMap<string, Transfer>;
  /** For committed pending transfers the batch refers to: how each was resolved, if it was. */
  readonly resolutions: ReadonlyMap<string, TransferKind>;
  readonly now: Date;
}

export type GroupOutcome =
  | { readonly ok: true; readonly results: readonly PlannedResult[] }
  | { readonly ok: false; readonly error: LedgerError };

/**
 * A result; its transfer still lacks seq and createdAt when it was created in this batch (by this group or, for an
 * `exists`, by an earlier group of the same batch). The caller swaps in the stored row by id.
 */
export interface PlannedResult {
  readonly status: 'created' | 'exists';
  readonly transfer: NewTransfer;
}

/** An account the batch changed: its totals before the batch and after it. */
export interface AccountChange {
  readonly id: bigint;
  readonly asset: string;
  readonly before: Totals;
  readonly after: Totals;
}

export interface EngineOutput {
  readonly outcomes: readonly GroupOutcome[];
  readonly inserts: readonly NewTransfer[];
  readonly changedAccounts: readonly AccountChange[];
  /** Pending transfers this batch opens and leaves open. */
  readonly pendingOpened: readonly NewTransfer[];
  /** Pending transfers open before this batch that it resolves. */
  readonly pendingResolved: readonly string[];
}

type MutableTotals = { -readonly [K in keyof Totals]: bigint };
type WorkingAccount = Omit<AccountState, keyof Totals> & MutableTotals;

/** What the batch has done so far, across its groups. */
interface BatchState {
  readonly input: EngineInput;
  readonly accounts: ReadonlyMap<bigint, WorkingAccount>;
  readonly createdInBatch: Map<string, NewTransfer>;
  readonly resolvedInBatch: Map<string, TransferKind>;
  readonly inserts: NewTransfer[];
  readonly changed: Set<WorkingAccount>;
}

/** What one group has done, kept until it succeeds (then merged into the batch) or is refused (then undone). */
interface GroupState {
  readonly batchId: string;
  /** Totals of every account the group touched, as they were before it. */
  readonly saved: Map<WorkingAccount, Totals>;
  readonly inserts: NewTransfer[];
}

/** A request turned into the transfer it would make, with the accounts it moves. */
interface PlannedTransfer {
  readonly transfer: NewTransfer;
  readonly debit: WorkingAccount;
  readonly credit: WorkingAccount;
  /** For a resolution: the amount the pending transfer holds, released by it. */
  readonly releasedMinor: bigint;
}

export function totalsOf(account: Totals): Totals {
  return {
    debitsPosted: account.debitsPosted,
    creditsPosted: account.creditsPosted,
    debitsPending: account.debitsPending,
    creditsPending: account.creditsPending,
  };
}

export function applyGroups(input: EngineInput, groups: readonly EngineGroup[]): EngineOutput {
  const batch: BatchState = {
    input,
    accounts: workingCopies(input.accounts),
    createdInBatch: new Map(),
    resolvedInBatch: new Map(),
    inserts: [],
    changed: new Set(),
  };
  const outcomes = groups.map((group) => applyGroup(batch, group));
  return outputOf(batch, outcomes);
}

function workingCopies(accounts: ReadonlyMap<bigint, AccountState>): Map<bigint, WorkingAccount> {
  const copies = new Map<bigint, WorkingAccount>();
  for (const [id, account] of accounts) copies.set(id, { ...account });
  return copies;
}

function applyGroup(batch: BatchState, group: EngineGroup): GroupOutcome {
  const state: GroupState = { batchId: group.batchId, saved: new Map(), inserts: [] };
  try {
    const results = group.requests.map((request, index) => applyRequest(batch, state, request, index));
    keepGroup(batch, state);
    return { ok: true, results };
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    undoGroup(batch, state);
    return { ok: false, error };
  }
}

function applyRequest(
  batch: BatchState,
  group: GroupState,
  request: EngineRequest,
  index: number,
): PlannedResult {
  const planned = planRequest(batch, group.batchId, request, index);
  // Idempotency: a committed transfer, or one created earlier in this batch, with the same id.
  const previous = batch.input.existing.get(request.id) ?? batch.createdInBatch.get(request.id);
  if (previous) return repeatOf(group, previous, planned.transfer, index);
  const { debit, credit } = planned;
  if (debit.closed || credit.closed)
    throw new LedgerError('account_closed', `account ${debit.closed ? debit.id : credit.id} is closed`, {
      index,
    });
  return { status: 'created', transfer: applyTransfer(batch, group, planned, index) };
}

function repeatOf(
  group: GroupState,
  previous: Transfer | NewTransfer,
  planned: NewTransfer,
  index: number,
): PlannedResult {
  if (!sameContent(previous, planned))
    throw new LedgerError(
      'exists_with_different_fields',
      `transfer ${planned.id} exists with different fields`,
      {
        index,
      },
    );
  if (group.inserts.includes(previous))
    throw new LedgerError('duplicate_in_batch', `transfer id ${planned.id} appears twice`, { index });
  return { status: 'exists', transfer: previous };
}

// ---- plan: which transfer a request makes ----

function planRequest(
  batch: BatchState,
  batchId: string,
  request: EngineRequest,
  index: number,
): PlannedTransfer {
  return request.type === 'posted' || request.type === 'pending'
    ? planMovement(batch, batchId, request, index)
    : planResolution(batch, batchId, request, index);
}

function accountFor(batch: BatchState, id: bigint, side: string, index: number): WorkingAccount {
  const found = batch.accounts.get(id);
  if (!found) throw new LedgerError('account_not_found', `${side} account ${id} does not exist`, { index });
  return found;
}

function planMovement(
  batch: BatchState,
  batchId: string,
  request: Extract<EngineRequest, { type: 'posted' | 'pending' }>,
  index: number,
): PlannedTransfer {
  const debit = accountFor(batch, request.debitAccountId, 'debit', index);
  const credit = accountFor(batch, request.creditAccountId, 'credit', index);
  const asset = request.amount.asset.code;
  if (debit.asset !== asset || credit.asset !== asset)
    throw new LedgerError(
      'asset_mismatch',
      `amount in ${asset} between accounts in ${debit.asset} and ${credit.asset}`,
      { index },
    );
  const transfer: NewTransfer = {
    id: request.id,
    batchId,
    kind: request.type,
    code: request.code,
    asset,
    debitAccountId: debit.id,
    creditAccountId: credit.id,
    amountMinor: request.amount.minor,
    pendingId: null,
    timeoutAt: request.type === 'pending' ? (request.timeoutAt ?? null) : null,
    metadata: request.metadata ?? {},
    debitAfter: totalsOf(debit),
    creditAfter: totalsOf(credit),
  };
  return { transfer, debit, credit, releasedMinor: 0n };
}

function planResolution(
  batch: BatchState,
  batchId: string,
  request: Extract<EngineRequest, { pendingId: string }>,
  index: number,
): PlannedTransfer {
  // A repeat of a committed resolution is judged by idempotency, not refused as already resolved.
  const repeat = batch.input.existing.has(request.id) || batch.createdInBatch.has(request.id);
  const pending = pendingFor(batch, request.pendingId, index);
  if (!repeat) checkUnresolved(batch, pending, request.type, index);
  const debit = accountFor(batch, pending.debitAccountId, 'debit', index);
  const credit = accountFor(batch, pending.creditAccountId, 'credit', index);
  const transfer: NewTransfer = {
    id: request.id,
    batchId,
    kind: request.type,
    code: request.code,
    asset: pending.asset,
    debitAccountId: debit.id,
    creditAccountId: credit.id,
    amountMinor:
      request.type === 'post_pending' ? postedAmount(pending, request, index) : pending.amountMinor,
    pendingId: request.pendingId,
    timeoutAt: null,
    metadata: request.metadata ?? {},
    debitAfter: totalsOf(debit),
    creditAfter: totalsOf(credit),
  };
  return { transfer, debit, credit, releasedMinor: pending.amountMinor };
}

function pendingFor(batch: BatchState, pendingId: string, index: number): Transfer | NewTransfer {
  const pending = batch.createdInBatch.get(pendingId) ?? batch.input.existing.get(pendingId);
  if (!pending || pending.kind !== 'pending')
    throw new LedgerError('pending_not_found', `pending transfer ${pendingId} does not exist`, { index });
  return pending;
}

function checkUnresolved(
  batch: BatchState,
  pending: Transfer | NewTransfer,
  type: EngineRequest['type'],
  index: number,
): void {
  const resolution = batch.resolvedInBatch.get(pending.id) ?? batch.input.resolutions.get(pending.id);
  if (resolution === 'post_pending')
    throw new LedgerError('pending_already_posted', `pending transfer ${pending.id} was already posted`, {
      index,
    });
  if (resolution === 'void_pending' || resolution === 'expire_pending')
    throw new LedgerError(
      'pending_already_voided',
      `pending transfer ${pending.id} was already voided or expired`,
      { index },
    );
  const expired = pending.timeoutAt !== null && pending.timeoutAt.getTime() <= batch.input.now.getTime();
  if (type === 'post_pending' && expired)
    throw new LedgerError('pending_expired', `pending transfer ${pending.id} expired`, { index });
}

function postedAmount(
  pending: Transfer | NewTransfer,
  request: Extract<EngineRequest, { type: 'post_pending' }>,
  index: number,
): bigint {
  if (request.amount === undefined) return pending.amountMinor;
  if (request.amount.asset.code !== pending.asset)
    throw new LedgerError(
      'asset_mismatch',
      `post in ${request.amount.asset.code} of a ${pending.asset} pending transfer`,
      {
        index,
      },
    );
  if (request.amount.minor > pending.amountMinor)
    throw new LedgerError(
      'post_exceeds_pending',
      `posting ${request.amount.minor} exceeds the pending ${pending.amountMinor}`,
      { index },
    );
  return request.amount.minor;
}

// ---- apply: move the totals, check the flags, record the transfer ----

function applyTransfer(
  batch: BatchState,
  group: GroupState,
  planned: PlannedTransfer,
  index: number,
): NewTransfer {
  const { debit, credit, transfer } = planned;
  for (const account of [debit, credit])
    if (!group.saved.has(account)) group.saved.set(account, totalsOf(account));
  moveTotals(planned);
  checkFlags(debit, index);
  checkFlags(credit, index);
  const created: NewTransfer = { ...transfer, debitAfter: totalsOf(debit), creditAfter: totalsOf(credit) };
  group.inserts.push(created);
  batch.createdInBatch.set(created.id, created);
  if (created.pendingId !== null) batch.resolvedInBatch.set(created.pendingId, created.kind);
  return created;
}

function moveTotals({ transfer, debit, credit, releasedMinor }: PlannedTransfer): void {
  const amount = transfer.amountMinor;
  if (transfer.kind === 'pending') {
    debit.debitsPending += amount;
    credit.creditsPending += amount;
    return;
  }
  // A resolution releases the whole pending amount; a post then moves what it posts (all of it, or part).
  debit.debitsPending -= releasedMinor;
  credit.creditsPending -= releasedMinor;
  if (transfer.kind === 'posted' || transfer.kind === 'post_pending') {
    debit.debitsPosted += amount;
    credit.creditsPosted += amount;
  }
}

function checkFlags(account: WorkingAccount, index: number): void {
  if (
    account.debitsMustNotExceedCredits &&
    account.debitsPosted + account.debitsPending > account.creditsPosted
  )
    throw new LedgerError('exceeds_credits', `account ${account.id} would spend more than it holds`, {
      index,
    });
  if (
    account.creditsMustNotExceedDebits &&
    account.creditsPosted + account.creditsPending > account.debitsPosted
  )
    throw new LedgerError(
      'exceeds_debits',
      `account ${account.id} would receive more than its debits allow`,
      { index },
    );
}

// ---- keep or undo a group ----

function keepGroup(batch: BatchState, group: GroupState): void {
  batch.inserts.push(...group.inserts);
  for (const account of group.saved.keys()) batch.changed.add(account);
}

function undoGroup(batch: BatchState, group: GroupState): void {
  for (const [account, totals] of group.saved) Object.assign(account, totals);
  for (const created of group.inserts) {
    batch.createdInBatch.delete(created.id);
    if (created.pendingId !== null) batch.resolvedInBatch.delete(created.pendingId);
  }
}

// ---- output ----

function outputOf(batch: BatchState, outcomes: readonly GroupOutcome[]): EngineOutput {
  const resolvedIds = new Set(batch.inserts.flatMap((insert) => insert.pendingId ?? []));
  const openedIds = new Set(batch.inserts.filter((insert) => insert.kind === 'pending').map(({ id }) => id));
  return {
    outcomes,
    inserts: batch.inserts,
    // A group undone later leaves its accounts where they were; only accounts of kept groups are written.
    changedAccounts: [...batch.changed].map((account) => ({
      id: account.id,
      asset: account.asset,
      before: totalsOf(batch.input.accounts.get(account.id)!),
      after: totalsOf(account),
    })),
    // A pending transfer opened and resolved in the same batch is never open in the database.
    pendingOpened: batch.inserts.filter((insert) => insert.kind === 'pending' && !resolvedIds.has(insert.id)),
    pendingResolved: [...resolvedIds].filter((id) => !openedIds.has(id)),
  };
}

function canonicalMetadata(metadata: Metadata | undefined): string {
  const entries = Object.entries(metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

/** The fields that make two requests "the same" for idempotency. */
function sameContent(existing: Transfer | NewTransfer, planned: NewTransfer): boolean {
  return (
    existing.kind === planned.kind &&
    existing.code === planned.code &&
    existing.asset === planned.asset &&
    existing.debitAccountId === planned.debitAccountId &&
    existing.creditAccountId === planned.creditAccountId &&
    existing.amountMinor === planned.amountMinor &&
    existing.pendingId === planned.pendingId &&
    (existing.timeoutAt?.getTime() ?? null) === (planned.timeoutAt?.getTime() ?? null) &&
    canonicalMetadata(existing.metadata) === canonicalMetadata(planned.metadata)
  );
}
