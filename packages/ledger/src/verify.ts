// The ledger's invariants, checked from scratch against the journal; ops run it, the tests and the benchmark run it
// after every scenario. Any problem found is a bug: the report names each one.
import { sql, type DatabasePool } from '@cardgate/db';
import { z } from 'zod';

/** One problem, by kind, with the objects it concerns and, where there are two sides, both amounts. */
export interface VerifyProblem {
  readonly kind:
    | 'asset_posted_unbalanced'
    | 'asset_pending_unbalanced'
    | 'account_totals_differ_from_journal'
    | 'structure';
  readonly message: string;
  readonly asset?: string;
  readonly accountId?: bigint;
  readonly field?: string;
  /** The two sides: debits and credits of an asset, or an account's stored total and its journal's. */
  readonly leftMinor?: bigint;
  readonly rightMinor?: bigint;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** The same problems as `problems`, structured. */
  readonly details: readonly VerifyProblem[];
  readonly accountsChecked: bigint;
  readonly transfersChecked: bigint;
}

const assetTotalsRow = z.object({
  asset: z.string(),
  debits_posted: z.bigint(),
  credits_posted: z.bigint(),
  debits_pending: z.bigint(),
  credits_pending: z.bigint(),
});
const mismatchRow = z.object({
  account_id: z.bigint(),
  field: z.string(),
  stored: z.bigint(),
  journal: z.bigint(),
});
const problemRow = z.object({ problem: z.string() });
const countsRow = z.object({ accounts: z.bigint(), transfers: z.bigint() });

export async function verifyLedger(pool: DatabasePool): Promise<VerifyReport> {
  // One repeatable-read snapshot, so concurrent writers cannot make a consistent ledger look broken.
  return pool.transaction(async (connection) => {
    await connection.query(
      sql.type(z.object({}))`set transaction isolation level repeatable read, read only`,
    );
    const details: VerifyProblem[] = [];

    const perAsset = await connection.any(sql.type(assetTotalsRow)`
      select asset, coalesce(sum(debits_posted), 0)::int8 as debits_posted, coalesce(sum(credits_posted), 0)::int8 as credits_posted,
             coalesce(sum(debits_pending), 0)::int8 as debits_pending, coalesce(sum(credits_pending), 0)::int8 as credits_pending
      from ledger_account group by asset`);
    for (const row of perAsset) {
      if (row.debits_posted !== row.credits_posted)
        details.push({
          kind: 'asset_posted_unbalanced',
          message: `${row.asset}: posted debits ${row.debits_posted} ≠ posted credits ${row.credits_posted}`,
          asset: row.asset,
          leftMinor: row.debits_posted,
          rightMinor: row.credits_posted,
        });
      if (row.debits_pending !== row.credits_pending)
        details.push({
          kind: 'asset_pending_unbalanced',
          message: `${row.asset}: pending debits ${row.debits_pending} ≠ pending credits ${row.credits_pending}`,
          asset: row.asset,
          leftMinor: row.debits_pending,
          rightMinor: row.credits_pending,
        });
    }

    const mismatches = await connection.any(sql.type(mismatchRow)`
      with effects as (
        select debit_account_id as account_id,
               case when kind in ('posted', 'post_pending') then amount else 0 end as debits_posted,
               0::int8 as credits_posted,
               case when kind = 'pending' and exists (select 1 from ledger_pending_open o where o.transfer_id = t.id)
                    then amount else 0 end as debits_pending,
               0::int8 as credits_pending
        from ledger_transfer t
        union all
        select credit_account_id, 0, case when kind in ('posted', 'post_pending') then amount else 0 end, 0,
               case when kind = 'pending' and exists (select 1 from ledger_pending_open o where o.transfer_id = t.id)
                    then amount else 0 end
        from ledger_transfer t
      ), journal as (
        select account_id, sum(debits_posted)::int8 as dp, sum(credits_posted)::int8 as cp,
               sum(debits_pending)::int8 as dpe, sum(credits_pending)::int8 as cpe
        from effects group by account_id
      ), compared as (
        select a.id, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending,
               coalesce(j.dp, 0) as dp, coalesce(j.cp, 0) as cp, coalesce(j.dpe, 0) as dpe, coalesce(j.cpe, 0) as cpe
        from ledger_account a left join journal j on j.account_id = a.id
      )
      select id as account_id, 'debits_posted' as field, debits_posted as stored, dp as journal from compared where debits_posted <> dp
      union all select id, 'credits_posted', credits_posted, cp from compared where credits_posted <> cp
      union all select id, 'debits_pending', debits_pending, dpe from compared where debits_pending <> dpe
      union all select id, 'credits_pending', credits_pending, cpe from compared where credits_pending <> cpe
      limit 100`);
    for (const row of mismatches)
      details.push({
        kind: 'account_totals_differ_from_journal',
        message: `account ${row.account_id}: stored ${row.field} ${row.stored} ≠ journal ${row.journal}`,
        accountId: row.account_id,
        field: row.field,
        leftMinor: row.stored,
        rightMinor: row.journal,
      });

    const structural = await connection.any(sql.type(problemRow)`
      select 'open hold ' || o.transfer_id || ' names no pending transfer' as problem
      from ledger_pending_open o
      where not exists (select 1 from ledger_transfer t where t.id = o.transfer_id and t.kind = 'pending')
      union all
      select 'pending ' || p.id || ' is both resolved and open'
      from ledger_transfer p join ledger_transfer r on r.pending_id = p.id
      where exists (select 1 from ledger_pending_open o where o.transfer_id = p.id)
      union all
      select 'pending ' || p.id || ' is neither resolved nor open'
      from ledger_transfer p
      where p.kind = 'pending' and not exists (select 1 from ledger_transfer r where r.pending_id = p.id)
        and not exists (select 1 from ledger_pending_open o where o.transfer_id = p.id)
      union all
      select 'account ' || id || ' breaks debits_must_not_exceed_credits' from ledger_account
      where debits_must_not_exceed_credits and debits_posted + debits_pending > credits_posted
      union all
      select 'account ' || id || ' breaks credits_must_not_exceed_debits' from ledger_account
      where credits_must_not_exceed_debits and credits_posted + credits_pending > debits_posted
      union all
      select 'account ' || a.id || ': totals after its last transfer differ from its stored totals'
      from ledger_account a
      join lateral (
        select * from (
          (select seq, debit_debits_posted as dp, debit_credits_posted as cp, debit_debits_pending as dpe,
                  debit_credits_pending as cpe from ledger_transfer where debit_account_id = a.id order by seq desc limit 1)
          union all
          (select seq, credit_debits_posted, credit_credits_posted, credit_debits_pending, credit_credits_pending
             from ledger_transfer where credit_account_id = a.id order by seq desc limit 1)
        ) last_two order by seq desc limit 1
      ) last on true
      where (last.dp, last.cp, last.dpe, last.cpe) is distinct from (a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending)
      limit 100`);
    for (const row of structural) details.push({ kind: 'structure', message: row.problem });

    const counts = await connection.one(sql.type(countsRow)`
      select (select count(*) from ledger_account) as accounts, (select count(*) from ledger_transfer) as transfers`);
    return {
      ok: details.length === 0,
      problems: details.map((detail) => detail.message),
      details,
      accountsChecked: counts.accounts,
      transfersChecked: counts.transfers,
    };
  });
}
