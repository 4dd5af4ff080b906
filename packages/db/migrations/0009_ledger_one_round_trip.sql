-- A ledger batch in one round trip: one call in autocommit that locks the batch's accounts, checks that what the
-- ledger planned from still holds, writes, checks that what it wrote is what was planned, and returns the figures
-- it read back. Before 0009 a batch cost four round trips (BEGIN, ledger_lock_and_load, ledger_write_batch, COMMIT)
-- and held its locks across all four.
--
-- The rules stay in TypeScript (packages/ledger/src/engine.ts): the ledger plans a batch from the state it already
-- knows (what its earlier batches wrote and read), and sends the plan with the assumptions it was made under. Under
-- the accounts' locks this function compares every assumption with the stored rows; if any is out of date (another
-- process wrote meanwhile) it writes nothing and answers with the current state, and the ledger plans again. The
-- write can therefore never rest on a stale read: the comparison and the write happen under the same locks.
-- ledger_lock_and_load (0006) stays: a batch whose plans keep finding their state out of date runs in a transaction
-- after it. ledger_write_batch (0002) is no longer called; it stays while a process of an older version may run.

-- The state a batch is planned from: the same document as ledger_lock_and_load (0006), without taking locks. The
-- ledger reads it for what it does not know yet; ledger_apply_batch returns it when an assumption was out of date.
create function ledger_load_state(p_account_ids int8[], p_transfer_ids text[], p_pending_ids text[])
returns jsonb language plpgsql stable as $$
declare
  v_ids int8[];
  v_accounts jsonb;
  v_transfers jsonb;
  v_resolutions jsonb;
begin
  v_ids := array(
    select distinct x from (
      select unnest(p_account_ids) as x
      union all
      select unnest(array[t.debit_account_id, t.credit_account_id]) from ledger_transfer t where t.id = any(p_pending_ids)
    ) ids
    order by x);

  select coalesce(jsonb_agg(jsonb_build_object(
      'id', a.id::text, 'code', a.code, 'asset', a.asset, 'kind', a.kind, 'owner_ref', a.owner_ref,
      'debits_must_not_exceed_credits', a.debits_must_not_exceed_credits,
      'credits_must_not_exceed_debits', a.credits_must_not_exceed_debits,
      'debits_posted', a.debits_posted::text, 'credits_posted', a.credits_posted::text,
      'debits_pending', a.debits_pending::text, 'credits_pending', a.credits_pending::text,
      'closed', a.closed_at is not null) order by a.id), '[]'::jsonb)
  into v_accounts
  from ledger_account a where a.id = any(v_ids);

  select coalesce(jsonb_agg(jsonb_build_object(
      'seq', t.seq::text, 'id', t.id, 'batch_id', t.batch_id, 'kind', t.kind, 'code', t.code, 'asset', t.asset,
      'debit_account_id', t.debit_account_id::text, 'credit_account_id', t.credit_account_id::text,
      'amount', t.amount::text, 'pending_id', t.pending_id,
      'timeout_at_ms', ((extract(epoch from t.timeout_at) * 1000)::int8)::text, 'metadata', t.metadata,
      'debit_debits_posted', t.debit_debits_posted::text, 'debit_credits_posted', t.debit_credits_posted::text,
      'debit_debits_pending', t.debit_debits_pending::text, 'debit_credits_pending', t.debit_credits_pending::text,
      'credit_debits_posted', t.credit_debits_posted::text, 'credit_credits_posted', t.credit_credits_posted::text,
      'credit_debits_pending', t.credit_debits_pending::text, 'credit_credits_pending', t.credit_credits_pending::text,
      'created_at_ms', ((extract(epoch from t.created_at) * 1000)::int8)::text)), '[]'::jsonb)
  into v_transfers
  from ledger_transfer t
  where t.id = any(p_transfer_ids || p_pending_ids);

  select coalesce(jsonb_agg(jsonb_build_object('pending_id', r.pending_id, 'kind', r.kind)), '[]'::jsonb)
  into v_resolutions
  from ledger_transfer r
  where r.pending_id = any(p_pending_ids);

  return jsonb_build_object('accounts', v_accounts, 'transfers', v_transfers, 'resolutions', v_resolutions);
end $$;

-- Applies a planned batch. Its assumptions:
--   p_account_ids (ascending) with p_closed and the four totals: every account the plan read, as it read it; a null
--     p_closed means the plan found no such account.
--   p_absent_ids: transfer ids the plan took to be unused (its requests' ids and the pending ids it did not find).
--   p_open_pending_ids: pending transfers the plan took to be unresolved.
-- p_transfer_ids and p_pending_ids name what the answer's state holds when an assumption was out of date. The rest is
-- the write (as in 0002's ledger_write_batch) and p_expected, the figures the plan says the write produces.
-- Answers {written: false, state} having written nothing, or {written: true, figures, ids, seqs, created_at_ms}.
-- Figures that differ from p_expected are a bug (in the planner, the encoding, or the schema: a trigger, a rule):
-- the function raises SQLSTATE LG001, which rolls the whole batch back, and the ledger reports a broken invariant.
create function ledger_apply_batch(
  p_account_ids int8[], p_closed boolean[],
  p_before_dp int8[], p_before_cp int8[], p_before_dpe int8[], p_before_cpe int8[],
  p_absent_ids text[], p_open_pending_ids text[], p_transfer_ids text[], p_pending_ids text[],
  p_ids text[], p_batch_ids text[], p_kinds text[], p_codes text[], p_assets text[],
  p_debit_account_ids int8[], p_credit_account_ids int8[], p_amounts int8[], p_resolved_pending_ids text[],
  p_timeouts timestamptz[], p_metadata jsonb[],
  p_dr_dp int8[], p_dr_cp int8[], p_dr_dpe int8[], p_dr_cpe int8[],
  p_cr_dp int8[], p_cr_cp int8[], p_cr_dpe int8[], p_cr_cpe int8[],
  p_changed_ids int8[], p_debits_posted int8[], p_credits_posted int8[], p_debits_pending int8[],
  p_credits_pending int8[],
  p_opened_ids text[], p_opened_timeouts timestamptz[], p_resolved_ids text[],
  p_expected jsonb)
returns jsonb language plpgsql as $$
declare
  v_stale boolean;
  v_accounts jsonb;
  v_transfers jsonb;
  v_ids jsonb;
  v_seqs jsonb;
  v_created_at_ms int8;
  v_opened int8;
  v_resolved int8;
  v_figures jsonb;
begin
  -- Fixed lock order (ascending id) across every writer: no two batches can wait on each other in a cycle.
  perform 1 from (select id from ledger_account where id = any(p_account_ids) order by id for update) locked;

  -- A new statement, so a new snapshot: it sees every commit made before the locks were granted.
  select exists (
    select 1
    from unnest(p_account_ids, p_closed, p_before_dp, p_before_cp, p_before_dpe, p_before_cpe)
      as e(id, closed, dp, cp, dpe, cpe)
    left join ledger_account a on a.id = e.id
    where row(case when a.id is null then null else a.closed_at is not null end,
              a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending)
          is distinct from row(e.closed, e.dp, e.cp, e.dpe, e.cpe))
  or exists (select 1 from ledger_transfer where id = any(p_absent_ids))
  or exists (select 1 from ledger_transfer where pending_id = any(p_open_pending_ids))
  into v_stale;
  if v_stale then
    return jsonb_build_object('written', false,
      'state', ledger_load_state(p_account_ids, p_transfer_ids, p_pending_ids));
  end if;

  with updated as (
    update ledger_account a set
      debits_posted = v.debits_posted, credits_posted = v.credits_posted,
      debits_pending = v.debits_pending, credits_pending = v.credits_pending
    from unnest(p_changed_ids, p_debits_posted, p_credits_posted, p_debits_pending, p_credits_pending)
      as v(account_id, debits_posted, credits_posted, debits_pending, credits_pending)
    where a.id = v.account_id
    returning a.asset, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending
  )
  select coalesce(jsonb_object_agg(asset, jsonb_build_object('count', n,
      'debits_posted', dp::text, 'credits_posted', cp::text, 'debits_pending', dpe::text, 'credits_pending', cpe::text)),
    '{}'::jsonb)
  into v_accounts
  from (
    select asset, count(*) as n, sum(debits_posted) as dp, sum(credits_posted) as cp,
           sum(debits_pending) as dpe, sum(credits_pending) as cpe
    from updated group by asset
  ) per_asset;

  with inserted as (
    insert into ledger_transfer as t (id, batch_id, kind, code, asset, debit_account_id, credit_account_id, amount,
      pending_id, timeout_at, metadata,
      debit_debits_posted, debit_credits_posted, debit_debits_pending, debit_credits_pending,
      credit_debits_posted, credit_credits_posted, credit_debits_pending, credit_credits_pending)
    select * from unnest(p_ids, p_batch_ids, p_kinds, p_codes, p_assets, p_debit_account_ids, p_credit_account_ids,
      p_amounts, p_resolved_pending_ids, p_timeouts, p_metadata, p_dr_dp, p_dr_cp, p_dr_dpe, p_dr_cpe,
      p_cr_dp, p_cr_cp, p_cr_dpe, p_cr_cpe)
    returning t.id, t.seq, t.asset, t.amount, t.created_at
  )
  select
    (select coalesce(jsonb_object_agg(asset, jsonb_build_object('count', n, 'amount', amount::text)), '{}'::jsonb)
       from (select asset, count(*) as n, sum(amount) as amount from inserted group by asset) per_asset),
    (select coalesce(jsonb_agg(id), '[]'::jsonb) from inserted),
    (select coalesce(jsonb_agg(seq::text), '[]'::jsonb) from inserted),
    (select (extract(epoch from min(created_at)) * 1000)::int8 from inserted)
  into v_transfers, v_ids, v_seqs, v_created_at_ms;

  insert into ledger_pending_open (transfer_id, timeout_at)
  select * from unnest(p_opened_ids, p_opened_timeouts);
  get diagnostics v_opened = row_count;

  delete from ledger_pending_open where transfer_id = any(p_resolved_ids);
  get diagnostics v_resolved = row_count;

  v_figures := jsonb_build_object('transfers', v_transfers, 'accounts', v_accounts,
    'pending_opened', v_opened, 'pending_resolved', v_resolved);
  if v_figures is distinct from p_expected then
    raise exception 'ledger batch wrote % but its plan says %', v_figures, p_expected using errcode = 'LG001';
  end if;
  return jsonb_build_object('written', true, 'figures', v_figures, 'ids', v_ids, 'seqs', v_seqs,
    'created_at_ms', v_created_at_ms::text);
end $$;

-- As for 0006's functions: every statement here is a lookup by unique index of a handful of rows, and a generic plan
-- costed for arrays of unknown length must never become a sequential scan.
alter function ledger_load_state(int8[], text[], text[]) set enable_seqscan = off;
alter function ledger_apply_batch(int8[], boolean[], int8[], int8[], int8[], int8[], text[], text[], text[], text[],
  text[], text[], text[], text[], text[], int8[], int8[], int8[], text[], timestamptz[], jsonb[],
  int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[],
  text[], timestamptz[], text[], jsonb) set enable_seqscan = off;
