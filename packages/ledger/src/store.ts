// The ledger's SQL. A batch is one call of ledger_apply_batch (migration 0009) in autocommit: under its accounts'
// locks it checks the assumptions the plan was made under, writes every new transfer, every changed account total and
// the open-pending bookkeeping, and reads back what it wrote. What the ledger does not know yet it reads first with
// ledger_load_state; a batch that keeps finding its assumptions out of date runs in a transaction instead, after
// ledger_lock_and_load (0006) has locked and read its state. All are PL/pgSQL functions, so their plans are cached.
import { sql, type CommonQueryMethods, type DatabaseTransactionConnection } from '@cardgate/db';
import { z } from 'zod';
import { boolArrayLiteral, int8ArrayLiteral, textArrayLiteral } from './array-literal.ts';
import type { AccountState, EngineOutput, NewTransfer } from './engine.ts';
import {
  figuresDocument,
  figuresFromDocument,
  figuresToDocument,
  LedgerInvariantError,
  type BatchFigures,
} from './invariants.ts';
import type { Totals, Transfer, TransferKind } from './types.ts';

const transferRow = z.object({
  seq: z.bigint(),
  id: z.string(),
  batch_id: z.string(),
  kind: z.enum(['posted', 'pending', 'post_pending', 'void_pending', 'expire_pending']),
  code: z.string(),
  asset: z.string(),
  debit_account_id: z.bigint(),
  credit_account_id: z.bigint(),
  amount: z.bigint(),
  pending_id: z.string().nullable(),
  timeout_at_ms: z.bigint().nullable(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  debit_debits_posted: z.bigint(),
  debit_credits_posted: z.bigint(),
  debit_debits_pending: z.bigint(),
  debit_credits_pending: z.bigint(),
  credit_debits_posted: z.bigint(),
  credit_credits_posted: z.bigint(),
  credit_debits_pending: z.bigint(),
  credit_credits_pending: z.bigint(),
  created_at_ms: z.bigint(),
});

/** Columns of ledger_transfer as the row schema above reads them. */
export const transferColumns = sql.fragment`seq, id, batch_id, kind, code, asset, debit_account_id, credit_account_id,
  amount, pending_id, (extract(epoch from timeout_at) * 1000)::int8 as timeout_at_ms, metadata,
  debit_debits_posted, debit_credits_posted, debit_debits_pending, debit_credits_pending,
  credit_debits_posted, credit_credits_posted, credit_debits_pending, credit_credits_pending,
  (extract(epoch from created_at) * 1000)::int8 as created_at_ms`;

export const transferRowSchema = transferRow;

export function transferFromRow(row: z.infer<typeof transferRow>): Transfer {
  return {
    seq: row.seq,
    id: row.id,
    batchId: row.batch_id,
    kind: row.kind,
    code: row.code,
    asset: row.asset,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amountMinor: row.amount,
    pendingId: row.pending_id,
    timeoutAt: row.timeout_at_ms === null ? null : new Date(Number(row.timeout_at_ms)),
    metadata: row.metadata,
    debitAfter: {
      debitsPosted: row.debit_debits_posted,
      creditsPosted: row.debit_credits_posted,
      debitsPending: row.debit_debits_pending,
      creditsPending: row.debit_credits_pending,
    },
    creditAfter: {
      debitsPosted: row.credit_debits_posted,
      creditsPosted: row.credit_credits_posted,
      debitsPending: row.credit_debits_pending,
      creditsPending: row.credit_credits_pending,
    },
    createdAt: new Date(Number(row.created_at_ms)),
  };
}

export const accountRow = z.object({
  id: z.bigint(),
  code: z.string(),
  asset: z.string(),
  kind: z.enum(['asset', 'liability', 'revenue', 'expense', 'equity']),
  owner_ref: z.string().nullable(),
  debits_must_not_exceed_credits: z.boolean(),
  credits_must_not_exceed_debits: z.boolean(),
  debits_posted: z.bigint(),
  credits_posted: z.bigint(),
  debits_pending: z.bigint(),
  credits_pending: z.bigint(),
  closed: z.boolean(),
});

export const accountColumns = sql.fragment`id, code, asset, kind, owner_ref, debits_must_not_exceed_credits,
  credits_must_not_exceed_debits, debits_posted, credits_posted, debits_pending, credits_pending,
  closed_at is not null as closed`;

export function accountFromRow(row: z.infer<typeof accountRow>) {
  return {
    id: row.id,
    code: row.code,
    asset: row.asset,
    kind: row.kind,
    ownerRef: row.owner_ref,
    debitsMustNotExceedCredits: row.debits_must_not_exceed_credits,
    creditsMustNotExceedDebits: row.credits_must_not_exceed_debits,
    debitsPosted: row.debits_posted,
    creditsPosted: row.credits_posted,
    debitsPending: row.debits_pending,
    creditsPending: row.credits_pending,
    closed: row.closed,
  };
}

export async function lockAccounts(
  connection: DatabaseTransactionConnection,
  ids: readonly bigint[],
): Promise<Map<bigint, AccountState>> {
  const sorted = [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const locked = new Map<bigint, AccountState>();
  if (sorted.length === 0) return locked;
  // Fixed lock order (ascending id) across every writer: no two batches can wait on each other in a cycle.
  const rows = await connection.any(sql.type(accountRow)`
    select ${accountColumns} from ledger_account where id = any(${sql.array(sorted, 'int8')}) order by id for update`);
  for (const row of rows) locked.set(row.id, { ...accountFromRow(row) });
  return locked;
}

const int8Text = z
  .string()
  .regex(/^-?\d+$/)
  .transform((value) => BigInt(value));
const loadedAccount = z.object({
  id: int8Text,
  code: z.string(),
  asset: z.string(),
  kind: z.enum(['asset', 'liability', 'revenue', 'expense', 'equity']),
  owner_ref: z.string().nullable(),
  debits_must_not_exceed_credits: z.boolean(),
  credits_must_not_exceed_debits: z.boolean(),
  debits_posted: int8Text,
  credits_posted: int8Text,
  debits_pending: int8Text,
  credits_pending: int8Text,
  closed: z.boolean(),
});
const loadedTransfer = transferRow.extend({
  seq: int8Text,
  debit_account_id: int8Text,
  credit_account_id: int8Text,
  amount: int8Text,
  timeout_at_ms: int8Text.nullable(),
  debit_debits_posted: int8Text,
  debit_credits_posted: int8Text,
  debit_debits_pending: int8Text,
  debit_credits_pending: int8Text,
  credit_debits_posted: int8Text,
  credit_credits_posted: int8Text,
  credit_debits_pending: int8Text,
  credit_credits_pending: int8Text,
  created_at_ms: int8Text,
});
const loadedBatch = z.object({
  accounts: z.array(loadedAccount),
  transfers: z.array(loadedTransfer),
  resolutions: z.array(
    z.object({ pending_id: z.string(), kind: z.enum(['post_pending', 'void_pending', 'expire_pending']) }),
  ),
});

const loadedRow = z.object({ loaded: z.unknown() });

/** A batch's state as the database holds it: the accounts that exist, the transfers, the resolutions. */
export interface LoadedBatch {
  readonly accounts: Map<bigint, AccountState>;
  readonly existing: Map<string, Transfer>;
  readonly resolutions: Map<string, TransferKind>;
}

/** What a batch names: the accounts of its new transfers, its own ids and the pending transfers it resolves. */
export interface BatchNeeds {
  readonly accountIds: readonly bigint[];
  readonly transferIds: readonly string[];
  readonly pendingIds: readonly string[];
}

function loadedFrom(document: unknown): LoadedBatch {
  const parsed = loadedBatch.parse(document);
  return {
    accounts: new Map(parsed.accounts.map((row) => [row.id, accountFromRow(row)])),
    existing: new Map(parsed.transfers.map((row) => [row.id, transferFromRow(row)])),
    resolutions: new Map(parsed.resolutions.map((row) => [row.pending_id, row.kind])),
  };
}

/**
 * One round trip, in a transaction: locks the batch's accounts (and those of the pending transfers it refers to) in
 * ascending id order, then reads the transfers it refers to and how referenced pending transfers were resolved.
 */
export async function lockAndLoad(
  connection: DatabaseTransactionConnection,
  needs: BatchNeeds,
): Promise<LoadedBatch> {
  const loaded = await connection.oneFirst(sql.prepared('cardgate_ledger_lock_and_load', loadedRow)`
    select ledger_lock_and_load(${sql.array([...new Set(needs.accountIds)], 'int8')},
      ${sql.array([...needs.transferIds], 'text')}, ${sql.array([...needs.pendingIds], 'text')}) as loaded`);
  return loadedFrom(loaded);
}

/** One round trip, no locks: the same state as lockAndLoad, for what the ledger does not know yet. */
export async function loadState(connection: CommonQueryMethods, needs: BatchNeeds): Promise<LoadedBatch> {
  const loaded = await connection.oneFirst(sql.prepared('cardgate_ledger_load_state', loadedRow)`
    select ledger_load_state(${sql.array([...new Set(needs.accountIds)], 'int8')},
      ${sql.array([...needs.transferIds], 'text')}, ${sql.array([...needs.pendingIds], 'text')}) as loaded`);
  return loadedFrom(loaded);
}

/** What a plan was made under; ledger_apply_batch checks each under the accounts' locks before it writes. */
export interface Assumptions {
  /** Every account the plan read, ascending, as it read it; undefined: the plan found no such account. */
  readonly accounts: readonly { readonly id: bigint; readonly state: AccountState | undefined }[];
  /** Transfer ids the plan took to be unused. */
  readonly absentIds: readonly string[];
  /** Pending transfers the plan took to be unresolved. */
  readonly openPendingIds: readonly string[];
}

export type ApplyAnswer =
  | {
      readonly written: true;
      readonly figures: BatchFigures;
      readonly assigned: ReadonlyMap<string, { readonly seq: bigint; readonly createdAt: Date }>;
    }
  | { readonly written: false; readonly state: LoadedBatch };

const answerDocument = z.discriminatedUnion('written', [
  z.object({
    written: z.literal(true),
    figures: figuresDocument,
    ids: z.array(z.string()),
    seqs: z.array(int8Text),
    created_at_ms: int8Text.nullable(),
  }),
  z.object({ written: z.literal(false), state: z.unknown() }),
]);
const answerRow = z.object({ answer: z.unknown() });

/** The SQLSTATE ledger_apply_batch raises when what it wrote differs from the plan's figures. */
export const invariantSqlState = 'LG001';

function sqlStateOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth += 1) {
    const candidate = current as { code?: unknown; cause?: unknown };
    if (candidate.code === invariantSqlState) return invariantSqlState;
    current = candidate.cause;
  }
  return undefined;
}

/**
 * One round trip: checks the plan's assumptions under its accounts' locks and, if they hold, writes it and returns
 * the figures read back; if one does not, writes nothing and returns the current state. In autocommit (a pool) the
 * call is the whole transaction.
 */
export async function applyBatch(
  connection: CommonQueryMethods,
  plan: EngineOutput,
  assumptions: Assumptions,
  needs: BatchNeeds,
  expected: BatchFigures,
  transferIds: readonly string[],
): Promise<ApplyAnswer> {
  let answer: unknown;
  try {
    answer = await connection.oneFirst(sql.prepared('cardgate_ledger_apply_batch', answerRow)`
      select ledger_apply_batch(${assumptionsSql(assumptions, needs)}, ${writeSql(plan)},
        ${sql.jsonb(figuresToDocument(expected))}) as answer`);
  } catch (error) {
    if (sqlStateOf(error) === invariantSqlState)
      throw new LedgerInvariantError('the database refused a write that differs from its plan', transferIds, {
        cause: error,
      });
    throw error;
  }
  const parsed = answerDocument.parse(answer);
  if (!parsed.written) return { written: false, state: loadedFrom(parsed.state) };
  const createdAt = new Date(Number(parsed.created_at_ms ?? 0n));
  const assigned = new Map(parsed.ids.map((id, index) => [id, { seq: parsed.seqs[index]!, createdAt }]));
  return { written: true, figures: figuresFromDocument(parsed.figures), assigned };
}

// The apply call's arrays as literals in text parameters (array-literal.ts says why), cast where they are used.
const int8s = (values: readonly (bigint | null)[]) => sql.fragment`${int8ArrayLiteral(values)}::int8[]`;
const texts = (values: readonly (string | null)[]) => sql.fragment`${textArrayLiteral(values)}::text[]`;
const bools = (values: readonly (boolean | null)[]) => sql.fragment`${boolArrayLiteral(values)}::bool[]`;
const timestamps = (values: readonly (string | null)[]) =>
  sql.fragment`${textArrayLiteral(values)}::timestamptz[]`;
const jsonbs = (values: readonly string[]) => sql.fragment`${textArrayLiteral(values)}::jsonb[]`;

function assumedTotals(assumptions: Assumptions, field: keyof Totals) {
  return int8s(assumptions.accounts.map(({ state }) => state?.[field] ?? null));
}

function assumptionsSql(assumptions: Assumptions, needs: BatchNeeds) {
  return sql.join(
    [
      int8s(assumptions.accounts.map(({ id }) => id)),
      bools(assumptions.accounts.map(({ state }) => state?.closed ?? null)),
      assumedTotals(assumptions, 'debitsPosted'),
      assumedTotals(assumptions, 'creditsPosted'),
      assumedTotals(assumptions, 'debitsPending'),
      assumedTotals(assumptions, 'creditsPending'),
      texts([...assumptions.absentIds]),
      texts([...assumptions.openPendingIds]),
      texts([...needs.transferIds]),
      texts([...needs.pendingIds]),
    ],
    sql.fragment`, `,
  );
}

function totalsArray(
  transfers: readonly NewTransfer[],
  side: 'debitAfter' | 'creditAfter',
  field: keyof Totals,
) {
  return int8s(transfers.map((transfer) => transfer[side][field]));
}

function changedArray(plan: EngineOutput, field: keyof Totals) {
  return int8s(plan.changedAccounts.map((change) => change.after[field]));
}

function writeSql(plan: EngineOutput) {
  const inserts = plan.inserts;
  return sql.join(
    [
      texts(inserts.map((t) => t.id)),
      texts(inserts.map((t) => t.batchId)),
      texts(inserts.map((t) => t.kind)),
      texts(inserts.map((t) => t.code)),
      texts(inserts.map((t) => t.asset)),
      int8s(inserts.map((t) => t.debitAccountId)),
      int8s(inserts.map((t) => t.creditAccountId)),
      int8s(inserts.map((t) => t.amountMinor)),
      texts(inserts.map((t) => t.pendingId)),
      timestamps(inserts.map((t) => t.timeoutAt?.toISOString() ?? null)),
      jsonbs(inserts.map((t) => JSON.stringify(t.metadata))),
      totalsArray(inserts, 'debitAfter', 'debitsPosted'),
      totalsArray(inserts, 'debitAfter', 'creditsPosted'),
      totalsArray(inserts, 'debitAfter', 'debitsPending'),
      totalsArray(inserts, 'debitAfter', 'creditsPending'),
      totalsArray(inserts, 'creditAfter', 'debitsPosted'),
      totalsArray(inserts, 'creditAfter', 'creditsPosted'),
      totalsArray(inserts, 'creditAfter', 'debitsPending'),
      totalsArray(inserts, 'creditAfter', 'creditsPending'),
      int8s(plan.changedAccounts.map((change) => change.id)),
      changedArray(plan, 'debitsPosted'),
      changedArray(plan, 'creditsPosted'),
      changedArray(plan, 'debitsPending'),
      changedArray(plan, 'creditsPending'),
      texts(plan.pendingOpened.map((t) => t.id)),
      timestamps(plan.pendingOpened.map((t) => t.timeoutAt?.toISOString() ?? null)),
      texts([...plan.pendingResolved]),
    ],
    sql.fragment`, `,
  );
}
