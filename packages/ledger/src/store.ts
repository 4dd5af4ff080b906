// The ledger's SQL. One batch is one transaction: read the transfers it refers to, lock its accounts in id order,
// read how referenced pending transfers were resolved (after the lock, so a concurrent resolution is seen), then
// write every new transfer, every changed account total and the open-pending bookkeeping in a single statement.
import { sql, type CommonQueryMethods, type DatabaseTransactionConnection } from '@cardgate/db';
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

export async function loadTransfers(
  connection: CommonQueryMethods,
  ids: readonly string[],
): Promise<Map<string, Transfer>> {
  const found = new Map<string, Transfer>();
  if (ids.length === 0) return found;
  const rows = await connection.any(sql.type(transferRow)`
    select ${transferColumns} from ledger_transfer where id = any(${sql.array(ids, 'text')})`);
  for (const row of rows) found.set(row.id, transferFromRow(row));
  return found;
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

const resolutionRow = z.object({
  pending_id: z.string(),
  kind: z.enum(['post_pending', 'void_pending', 'expire_pending']),
});

export async function loadResolutions(
  connection: CommonQueryMethods,
  pendingIds: readonly string[],
): Promise<Map<string, TransferKind>> {
  const resolutions = new Map<string, TransferKind>();
  if (pendingIds.length === 0) return resolutions;
  const rows = await connection.any(sql.type(resolutionRow)`
    select pending_id, kind from ledger_transfer where pending_id = any(${sql.array(pendingIds, 'text')})`);
  for (const row of rows) resolutions.set(row.pending_id, row.kind);
  return resolutions;
}

const insertedRow = z.object({ id: z.string(), seq: z.bigint(), created_at_ms: z.bigint() });

function column<T>(transfers: readonly NewTransfer[], pick: (transfer: NewTransfer) => T): T[] {
  return transfers.map(pick);
}

function totalsColumn(
  transfers: readonly NewTransfer[],
  side: 'debitAfter' | 'creditAfter',
  field: keyof Totals,
) {
  return sql.array(
    column(transfers, (transfer) => transfer[side][field]),
    'int8',
  );
}

/** Writes a batch's effects in one statement; returns the sequence number and commit time of each new transfer. */
export async function writeBatch(
  connection: DatabaseTransactionConnection,
  inserts: readonly NewTransfer[],
  changedAccounts: readonly AccountState[],
  pendingOpened: readonly NewTransfer[],
  pendingResolved: readonly string[],
): Promise<Map<string, { seq: bigint; createdAt: Date }>> {
  const assigned = new Map<string, { seq: bigint; createdAt: Date }>();
  if (inserts.length === 0) return assigned;
  const rows = await connection.any(sql.type(insertedRow)`
    with inserted as (
      insert into ledger_transfer (id, batch_id, kind, code, asset, debit_account_id, credit_account_id, amount,
        pending_id, timeout_at, metadata,
        debit_debits_posted, debit_credits_posted, debit_debits_pending, debit_credits_pending,
        credit_debits_posted, credit_credits_posted, credit_debits_pending, credit_credits_pending)
      select * from unnest(
        ${sql.array(
          column(inserts, (t) => t.id),
          'text',
        )},
        ${sql.array(
          column(inserts, (t) => t.batchId),
          'text',
        )},
        ${sql.array(
          column(inserts, (t) => t.kind),
          'text',
        )},
        ${sql.array(
          column(inserts, (t) => t.code),
          'text',
        )},
        ${sql.array(
          column(inserts, (t) => t.asset),
          'text',
        )},
        ${sql.array(
          column(inserts, (t) => t.debitAccountId),
          'int8',
        )},
        ${sql.array(
          column(inserts, (t) => t.creditAccountId),
          'int8',
        )},
        ${sql.array(
          column(inserts, (t) => t.amountMinor),
          'int8',
        )},
        ${sql.array(
          column(inserts, (t) => t.pendingId),
          'text',
        )},
        ${sql.array(
          column(inserts, (t) => t.timeoutAt?.toISOString() ?? null),
          'timestamptz',
        )},
        ${sql.array(
          column(inserts, (t) => JSON.stringify(t.metadata)),
          'jsonb',
        )},
        ${totalsColumn(inserts, 'debitAfter', 'debitsPosted')},
        ${totalsColumn(inserts, 'debitAfter', 'creditsPosted')},
        ${totalsColumn(inserts, 'debitAfter', 'debitsPending')},
        ${totalsColumn(inserts, 'debitAfter', 'creditsPending')},
        ${totalsColumn(inserts, 'creditAfter', 'debitsPosted')},
        ${totalsColumn(inserts, 'creditAfter', 'creditsPosted')},
        ${totalsColumn(inserts, 'creditAfter', 'debitsPending')},
        ${totalsColumn(inserts, 'creditAfter', 'creditsPending')}
      ) as input
      returning id, seq, created_at
    ), accounts as (
      update ledger_account set
        debits_posted = input.debits_posted, credits_posted = input.credits_posted,
        debits_pending = input.debits_pending, credits_pending = input.credits_pending
      from unnest(
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
        )}
      ) as input(id, debits_posted, credits_posted, debits_pending, credits_pending)
      where ledger_account.id = input.id
      returning ledger_account.id
    ), opened as (
      insert into ledger_pending_open (transfer_id, timeout_at)
      select id, timeout_at from unnest(
        ${sql.array(
          pendingOpened.map((t) => t.id),
          'text',
        )},
        ${sql.array(
          pendingOpened.map((t) => t.timeoutAt?.toISOString() ?? null),
          'timestamptz',
        )}
      ) as input(id, timeout_at)
      where exists (select 1 from inserted where inserted.id = input.id)
      returning transfer_id
    ), resolved as (
      delete from ledger_pending_open where transfer_id = any(${sql.array(pendingResolved, 'text')})
      returning transfer_id
    )
    select id, seq, (extract(epoch from created_at) * 1000)::int8 as created_at_ms from inserted`);
  for (const row of rows)
    assigned.set(row.id, { seq: row.seq, createdAt: new Date(Number(row.created_at_ms)) });
  return assigned;
}
