-- Double-entry ledger. Accounts carry running totals (posted and pending, debits and credits); transfers are an
-- immutable journal, each moving one amount of one asset from a debit account to a credit account, and recording
-- both accounts' totals after it. Open pending transfers (holds) are tracked in a small mutable side table.
-- Rules that protect money are enforced here as well as in code: flags, asset matching, immutability, one
-- resolution per pending transfer.

create table ledger_account (
  id int8 generated always as identity primary key,
  code text not null unique check (code ~ '^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*$' and length(code) <= 120),
  asset text not null check (asset ~ '^[A-Z][A-Z0-9]{1,11}$'),
  kind text not null check (kind in ('asset', 'liability', 'revenue', 'expense', 'equity')),
  owner_ref text check (length(owner_ref) <= 120),
  debits_must_not_exceed_credits boolean not null default false,
  credits_must_not_exceed_debits boolean not null default false,
  debits_posted int8 not null default 0 check (debits_posted >= 0),
  credits_posted int8 not null default 0 check (credits_posted >= 0),
  debits_pending int8 not null default 0 check (debits_pending >= 0),
  credits_pending int8 not null default 0 check (credits_pending >= 0),
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  unique (id, asset),
  check (not (debits_must_not_exceed_credits and credits_must_not_exceed_debits)),
  constraint ledger_account_debits_within_credits
    check (not debits_must_not_exceed_credits or debits_posted + debits_pending <= credits_posted),
  constraint ledger_account_credits_within_debits
    check (not credits_must_not_exceed_debits or credits_posted + credits_pending <= debits_posted)
);

create table ledger_transfer (
  -- Global commit order: statements page by it, point-in-time balances read up to it.
  seq int8 generated always as identity primary key,
  -- Client-chosen idempotency key.
  id text not null unique check (id ~ '^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$'),
  -- Transfers submitted together, committed together or not at all.
  batch_id text not null,
  kind text not null check (kind in ('posted', 'pending', 'post_pending', 'void_pending', 'expire_pending')),
  code text not null check (code ~ '^[a-z][a-z0-9_.:-]{0,63}$'),
  asset text not null,
  debit_account_id int8 not null,
  credit_account_id int8 not null,
  amount int8 not null check (amount > 0),
  -- For post/void/expire: the pending transfer resolved. At most one resolution per pending transfer.
  pending_id text unique references ledger_transfer (id),
  timeout_at timestamptz,
  metadata jsonb not null default '{}'::jsonb,
  debit_debits_posted int8 not null,
  debit_credits_posted int8 not null,
  debit_debits_pending int8 not null,
  debit_credits_pending int8 not null,
  credit_debits_posted int8 not null,
  credit_credits_posted int8 not null,
  credit_debits_pending int8 not null,
  credit_credits_pending int8 not null,
  created_at timestamptz not null default now(),
  foreign key (debit_account_id, asset) references ledger_account (id, asset),
  foreign key (credit_account_id, asset) references ledger_account (id, asset),
  check (debit_account_id <> credit_account_id),
  check ((kind in ('post_pending', 'void_pending', 'expire_pending')) = (pending_id is not null)),
  check (timeout_at is null or kind = 'pending')
);
create index ledger_transfer_by_debit on ledger_transfer (debit_account_id, seq);
create index ledger_transfer_by_credit on ledger_transfer (credit_account_id, seq);
create index ledger_transfer_by_batch on ledger_transfer (batch_id);

-- Pending transfers not yet posted, voided or expired. Deleted on resolution; the journal keeps the history.
create table ledger_pending_open (
  transfer_id text primary key references ledger_transfer (id),
  timeout_at timestamptz
);
create index ledger_pending_open_by_timeout on ledger_pending_open (timeout_at) where timeout_at is not null;

create function ledger_journal_is_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'ledger journal rows are immutable: fix a mistake with a correcting transfer'
    using errcode = 'P0001';
end $$;
create trigger ledger_transfer_no_update before update or delete on ledger_transfer
  for each row execute function ledger_journal_is_immutable();
create trigger ledger_transfer_no_truncate before truncate on ledger_transfer
  for each statement execute function ledger_journal_is_immutable();
create trigger ledger_account_no_delete before delete on ledger_account
  for each row execute function ledger_journal_is_immutable();
create trigger ledger_account_no_truncate before truncate on ledger_account
  for each statement execute function ledger_journal_is_immutable();

-- The two statements of a ledger batch as functions, so their plans are prepared once per connection instead of
-- parsed and planned on every batch. The Node side keeps the rules (packages/ledger/src/engine.ts); these only read
-- and write.

-- Locks the accounts (those given and those of the referenced pending transfers) in ascending id order, then reads
-- the referenced transfers and how referenced pending transfers were resolved. Each statement of a PL/pgSQL function
-- takes a new snapshot, so the reads after the lock see everything committed before it was granted.
-- int8 values travel as JSON strings: a JSON number would lose precision beyond 2^53 in JavaScript.
create function ledger_lock_and_load(p_account_ids int8[], p_transfer_ids text[], p_pending_ids text[])
returns jsonb language plpgsql as $$
declare
  v_accounts jsonb;
  v_transfers jsonb;
  v_resolutions jsonb;
begin
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', a.id::text, 'code', a.code, 'asset', a.asset, 'kind', a.kind, 'owner_ref', a.owner_ref,
      'debits_must_not_exceed_credits', a.debits_must_not_exceed_credits,
      'credits_must_not_exceed_debits', a.credits_must_not_exceed_debits,
      'debits_posted', a.debits_posted::text, 'credits_posted', a.credits_posted::text,
      'debits_pending', a.debits_pending::text, 'credits_pending', a.credits_pending::text,
      'closed', a.closed_at is not null) order by a.id), '[]'::jsonb)
  into v_accounts
  from (
    select * from ledger_account
    where id in (
      select unnest(p_account_ids)
      union
      select unnest(array[t.debit_account_id, t.credit_account_id]) from ledger_transfer t where t.id = any(p_pending_ids)
    )
    order by id
    for update
  ) a;

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
  where t.id = any(p_transfer_ids) or t.id = any(p_pending_ids);

  select coalesce(jsonb_agg(jsonb_build_object('pending_id', r.pending_id, 'kind', r.kind)), '[]'::jsonb)
  into v_resolutions
  from ledger_transfer r
  where r.pending_id = any(p_pending_ids);

  return jsonb_build_object('accounts', v_accounts, 'transfers', v_transfers, 'resolutions', v_resolutions);
end $$;

-- Writes a planned batch: the new journal rows, each changed account's final totals (once per account, however
-- many transfers touched it), and the open-pending bookkeeping. Returns each new transfer's seq and commit time.
create function ledger_write_batch(
  p_ids text[], p_batch_ids text[], p_kinds text[], p_codes text[], p_assets text[],
  p_debit_account_ids int8[], p_credit_account_ids int8[], p_amounts int8[], p_pending_ids text[],
  p_timeouts timestamptz[], p_metadata jsonb[],
  p_dr_dp int8[], p_dr_cp int8[], p_dr_dpe int8[], p_dr_cpe int8[],
  p_cr_dp int8[], p_cr_cp int8[], p_cr_dpe int8[], p_cr_cpe int8[],
  p_account_ids int8[], p_debits_posted int8[], p_credits_posted int8[], p_debits_pending int8[], p_credits_pending int8[],
  p_opened_ids text[], p_opened_timeouts timestamptz[], p_resolved_ids text[])
returns table (id text, seq int8, created_at_ms int8) language plpgsql as $$
#variable_conflict use_column
begin
  update ledger_account a set
    debits_posted = v.debits_posted, credits_posted = v.credits_posted,
    debits_pending = v.debits_pending, credits_pending = v.credits_pending
  from unnest(p_account_ids, p_debits_posted, p_credits_posted, p_debits_pending, p_credits_pending)
    as v(account_id, debits_posted, credits_posted, debits_pending, credits_pending)
  where a.id = v.account_id;

  return query
  insert into ledger_transfer as t (id, batch_id, kind, code, asset, debit_account_id, credit_account_id, amount,
    pending_id, timeout_at, metadata,
    debit_debits_posted, debit_credits_posted, debit_debits_pending, debit_credits_pending,
    credit_debits_posted, credit_credits_posted, credit_debits_pending, credit_credits_pending)
  select * from unnest(p_ids, p_batch_ids, p_kinds, p_codes, p_assets, p_debit_account_ids, p_credit_account_ids,
    p_amounts, p_pending_ids, p_timeouts, p_metadata, p_dr_dp, p_dr_cp, p_dr_dpe, p_dr_cpe,
    p_cr_dp, p_cr_cp, p_cr_dpe, p_cr_cpe)
  returning t.id, t.seq, (extract(epoch from t.created_at) * 1000)::int8;

  insert into ledger_pending_open (transfer_id, timeout_at)
  select * from unnest(p_opened_ids, p_opened_timeouts);

  delete from ledger_pending_open where transfer_id = any(p_resolved_ids);
end $$;
