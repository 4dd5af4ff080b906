// What a reconciliation reads from the ledger, in pages and as of a fixed point (the last committed transfer when the
// run began): the journal's rows of given codes with how each pending one was resolved, and the accounts whose codes
// start with a prefix. Compact rows, not whole transfers: a run reads hundreds of thousands of them.
import { sql, type DatabasePool } from '@cardgate/db';
import { z } from 'zod';

import type { Metadata, Totals, TransferKind } from './types.ts';

/** Bound on one page of journal rows or accounts. */
export const reconciliationPageRowsMax = 20_000;

export interface JournalEntry {
  readonly seq: bigint;
  readonly id: string;
  readonly kind: TransferKind;
  readonly code: string;
  readonly asset: string;
  readonly amountMinor: bigint;
  readonly pendingId: string | null;
  readonly metadata: Metadata;
  /** For a pending transfer: how it was resolved at or before the as-of point, or null while it is open. */
  readonly resolvedAs: 'post_pending' | 'void_pending' | 'expire_pending' | null;
}

const entryRow = z.object({
  seq: z.bigint(),
  id: z.string(),
  kind: z.enum(['posted', 'pending', 'post_pending', 'void_pending', 'expire_pending']),
  code: z.string(),
  asset: z.string(),
  amount: z.bigint(),
  pending_id: z.string().nullable(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  resolved_as: z.enum(['post_pending', 'void_pending', 'expire_pending']).nullable(),
});
const seqRow = z.object({ seq: z.bigint() });

const pageLimit = (limit: number): number => Math.max(1, Math.min(limit, reconciliationPageRowsMax));

export function createLedgerReconciliationReads(pool: DatabasePool) {
  return {
    /** The seq of the last committed transfer (0 for an empty journal): a run's as-of point in the ledger. */
    async lastSeq(): Promise<bigint> {
      const row = await pool.one(
        sql.type(seqRow)`select coalesce(max(seq), 0)::int8 as seq from ledger_transfer`,
      );
      return row.seq;
    },

    /** Journal rows with one of `codes`, seq in (afterSeq, throughSeq], in seq order, at most `limit`. */
    async journalPage(input: {
      codes: readonly string[];
      afterSeq: bigint;
      throughSeq: bigint;
      limit: number;
    }): Promise<JournalEntry[]> {
      const rows = await pool.any(sql.type(entryRow)`
        select t.seq, t.id, t.kind, t.code, t.asset, t.amount, t.pending_id, t.metadata,
          (select r.kind from ledger_transfer r where r.pending_id = t.id and r.seq <= ${input.throughSeq}) as resolved_as
        from ledger_transfer t
        where t.code = any(${sql.array([...input.codes], 'text')})
          and t.seq > ${input.afterSeq} and t.seq <= ${input.throughSeq}
        order by t.seq limit ${pageLimit(input.limit)}`);
      return rows.map((row) => ({
        seq: row.seq,
        id: row.id,
        kind: row.kind,
        code: row.code,
        asset: row.asset,
        amountMinor: row.amount,
        pendingId: row.pending_id,
        metadata: row.metadata,
        resolvedAs: row.resolved_as,
      }));
    },

    /**
     * Accounts whose code starts with `prefix`, id > afterId, in id order, at most `limit`, with their totals as they
     * were right after transfer `throughSeq` (from the totals each journal row records; zero before the first).
     */
    async accountsAt(input: {
      prefix: string;
      afterId: bigint;
      throughSeq: bigint;
      limit: number;
    }): Promise<AccountAt[]> {
      const pattern = `${input.prefix.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
      const rows = await pool.any(sql.type(accountAtRow)`
        select a.id, a.code, a.asset, coalesce(last.dp, 0)::int8 as dp, coalesce(last.cp, 0)::int8 as cp,
          coalesce(last.dpe, 0)::int8 as dpe, coalesce(last.cpe, 0)::int8 as cpe
        from ledger_account a
        left join lateral (
          select * from (
            (select seq, debit_debits_posted as dp, debit_credits_posted as cp, debit_debits_pending as dpe,
                    debit_credits_pending as cpe from ledger_transfer
              where debit_account_id = a.id and seq <= ${input.throughSeq} order by seq desc limit 1)
            union all
            (select seq, credit_debits_posted, credit_credits_posted, credit_debits_pending, credit_credits_pending
              from ledger_transfer where credit_account_id = a.id and seq <= ${input.throughSeq} order by seq desc limit 1)
          ) last_two order by seq desc limit 1
        ) last on true
        where a.code like ${pattern} and a.id > ${input.afterId}
        order by a.id limit ${pageLimit(input.limit)}`);
      return rows.map((row) => ({
        id: row.id,
        code: row.code,
        asset: row.asset,
        totals: {
          debitsPosted: row.dp,
          creditsPosted: row.cp,
          debitsPending: row.dpe,
          creditsPending: row.cpe,
        },
      }));
    },
  };
}

export interface AccountAt {
  readonly id: bigint;
  readonly code: string;
  readonly asset: string;
  readonly totals: Totals;
}

const accountAtRow = z.object({
  id: z.bigint(),
  code: z.string(),
  asset: z.string(),
  dp: z.bigint(),
  cp: z.bigint(),
  dpe: z.bigint(),
  cpe: z.bigint(),
});
