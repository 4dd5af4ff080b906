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
