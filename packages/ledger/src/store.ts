// The ledger's SQL. One batch is one transaction of two calls: lock its accounts in id order and read what it refers
// to (after the lock, so a concurrent resolution is seen), then write every new transfer, every changed account total
// and the open-pending bookkeeping. Both are PL/pgSQL functions (migration 0002) so their plans are cached.
import { sql, type DatabaseTransactionConnection } from '@cardgate/db';
import { z } from 'zod';
import type { AccountState, NewTransfer } from './engine.ts';
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

const insertedRow = z.object({ id: z.string(), seq: z.bigint(), created_at_ms: z.bigint() });

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

export interface LoadedBatch {
  readonly accounts: Map<bigint, AccountState>;
  readonly existing: Map<string, Transfer>;
  readonly resolutions: Map<string, TransferKind>;
}

/**
 * One round trip: locks the batch's accounts (and those of the pending transfers it refers to) in ascending id order,
 * then reads the transfers it refers to and how referenced pending transfers were resolved.
 */
export async function lockAndLoad(
  connection: DatabaseTransactionConnection,
  accountIds: readonly bigint[],
  transferIds: readonly string[],
  pendingIds: readonly string[],
): Promise<LoadedBatch> {
  const loaded = await connection.oneFirst(sql.prepared('cardgate_ledger_lock_and_load', loadedRow)`
    select ledger_lock_and_load(${sql.array([...new Set(accountIds)], 'int8')}, ${sql.array(transferIds, 'text')},
      ${sql.array(pendingIds, 'text')}) as loaded`);
  const parsed = loadedBatch.parse(loaded);
  return {
    accounts: new Map(parsed.accounts.map((row) => [row.id, { ...accountFromRow(row) }])),
    existing: new Map(parsed.transfers.map((row) => [row.id, transferFromRow(row)])),
    resolutions: new Map(parsed.resolutions.map((row) => [row.pending_id, row.kind])),
  };
}

function totalsArray(
  transfers: readonly NewTransfer[],
  side: 'debitAfter' | 'creditAfter',
  field: keyof Totals,
) {
  return sql.array(
    transfers.map((transfer) => transfer[side][field]),
    'int8',
  );
}

/** Writes a batch's effects in one call; returns the sequence number and commit time of each new transfer. */
export async function writeBatch(
  connection: DatabaseTransactionConnection,
  inserts: readonly NewTransfer[],
  changedAccounts: readonly AccountState[],
  pendingOpened: readonly NewTransfer[],
  pendingResolved: readonly string[],
): Promise<Map<string, { seq: bigint; createdAt: Date }>> {
  const assigned = new Map<string, { seq: bigint; createdAt: Date }>();
  if (inserts.length === 0) return assigned;
  const rows = await connection.any(sql.prepared('cardgate_ledger_write_batch', insertedRow)`
    select id, seq, created_at_ms from ledger_write_batch(
      ${sql.array(
        inserts.map((t) => t.id),
        'text',
      )},
      ${sql.array(
        inserts.map((t) => t.batchId),
        'text',
      )},
      ${sql.array(
        inserts.map((t) => t.kind),
        'text',
      )},
      ${sql.array(
        inserts.map((t) => t.code),
        'text',
      )},
      ${sql.array(
        inserts.map((t) => t.asset),
        'text',
      )},
      ${sql.array(
        inserts.map((t) => t.debitAccountId),
        'int8',
      )},
      ${sql.array(
        inserts.map((t) => t.creditAccountId),
        'int8',
      )},
      ${sql.array(
        inserts.map((t) => t.amountMinor),
        'int8',
      )},
      ${sql.array(
        inserts.map((t) => t.pendingId),
        'text',
      )},
      ${sql.array(
        inserts.map((t) => t.timeoutAt?.toISOString() ?? null),
        'timestamptz',
      )},
      ${sql.array(
        inserts.map((t) => JSON.stringify(t.metadata)),
        'jsonb',
      )},
      ${totalsArray(inserts, 'debitAfter', 'debitsPosted')},
      ${totalsArray(inserts, 'debitAfter', 'creditsPosted')},
      ${totalsArray(inserts, 'debitAfter', 'debitsPending')},
      ${totalsArray(inserts, 'debitAfter', 'creditsPending')},
      ${totalsArray(inserts, 'creditAfter', 'debitsPosted')},
      ${totalsArray(inserts, 'creditAfter', 'creditsPosted')},
      ${totalsArray(inserts, 'creditAfter', 'debitsPending')},
      ${totalsArray(inserts, 'creditAfter', 'creditsPending')},
      ${sql.array(
        changedAccounts.map((a) => a.id),
        'int8',
      )},
      ${sql.array(
        changedAccounts.map((a) => a.debitsPosted),
        'int8',
      )},
      ${sql.array(
        changedAccounts.map((a) => a.creditsPosted),
        'int8',
      )},
      ${sql.array(
        changedAccounts.map((a) => a.debitsPending),
        'int8',
      )},
      ${sql.array(
        changedAccounts.map((a) => a.creditsPending),
        'int8',
      )},
      ${sql.array(
        pendingOpened.map((t) => t.id),
        'text',
      )},
      ${sql.array(
        pendingOpened.map((t) => t.timeoutAt?.toISOString() ?? null),
        'timestamptz',
      )},
      ${sql.array([...pendingResolved], 'text')})`);
  for (const row of rows)
    assigned.set(row.id, { seq: row.seq, createdAt: new Date(Number(row.created_at_ms)) });
  return assigned;
}
