-- ledger_lock_and_load, with statements whose generic plans are index scans. The pool keeps PL/pgSQL's cached plans
-- across batches (it no longer runs DISCARD ALL on every release), and after a few calls PostgreSQL switches a
-- function's statements to generic plans: the original lock statement (`id in (select unnest(...) union ...)`) then
-- hashed the whole account table. Here the account ids are gathered first and every lookup is `= any(array)` on a
-- unique index. Same results and the same locking order as 0002.
create or replace function ledger_lock_and_load(p_account_ids int8[], p_transfer_ids text[], p_pending_ids text[])
returns jsonb language plpgsql as $$
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
  from (select * from ledger_account where id = any(v_ids) order by id for update) a;

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

-- Every statement in it is a lookup by unique index of a handful of rows. Its plans are cached per connection, and
-- after a few calls PostgreSQL may switch to a generic plan costed for arrays of unknown length, which on a small or
-- growing table can be a sequential scan (measured: throughput fell by half as the journal grew). Sequential scans are
-- never the right plan here, so they are priced out for this function only.
alter function ledger_lock_and_load(int8[], text[], text[]) set enable_seqscan = off;
-- The same holds for the batch write: its account update joins a handful of ids to the account table by primary key.
alter function ledger_write_batch(text[], text[], text[], text[], text[], int8[], int8[], int8[], text[], timestamptz[],
  jsonb[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], int8[], text[],
  timestamptz[], text[]) set enable_seqscan = off;

-- Account rows are rewritten on every batch that touches them, but only their totals change, and no index covers
-- the totals: with room left on each page, PostgreSQL updates them in place (HOT) instead of adding an entry to each
-- of the table's three indexes for every new row version.
alter table ledger_account set (fillfactor = 50);

-- No query reads transfers by batch id; the index cost a sixth of every journal insert's index work.
drop index ledger_transfer_by_batch;
