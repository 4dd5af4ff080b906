-- The deposit watcher: where it is on the chain, the recent block hashes it uses to detect reorgs, the deposits it
-- has seen, and the transactional outbox of hand-overs to Temporal. One row per (transaction id, log index) deposit.

create table chain_cursor (
  chain text primary key,
  block_number int8 not null check (block_number >= 0),
  block_hash text not null,
  updated_at timestamptz not null default now()
);

-- Recent canonical blocks as the watcher saw them; pruned below the solidified head.
create table chain_block (
  chain text not null,
  block_number int8 not null,
  block_hash text not null,
  parent_hash text not null,
  primary key (chain, block_number)
);

create table deposit (
  tx_id text not null check (tx_id ~ '^[0-9a-f]{64}$'),
  log_index int4 not null check (log_index >= 0),
  chain text not null,
  token_contract text not null,
  asset text not null,
  from_address text not null,
  to_address text not null,
  amount_minor int8 not null check (amount_minor > 0),
  block_number int8 not null,
  block_hash text not null,
  block_timestamp_ms int8 not null,
  status text not null check (status in ('seen', 'final', 'orphaned')),
  -- Incremented on every state change; the outbox event of that change carries it.
  event_sequence int4 not null check (event_sequence >= 1),
  seen_at timestamptz not null default now(),
  final_at timestamptz,
  primary key (tx_id, log_index),
  check ((status = 'final') = (final_at is not null))
);
create index deposit_unfinished on deposit (block_number) where status = 'seen';
create index deposit_by_address on deposit (to_address);

-- A final deposit never changes again: no reorg is known below the solidified block, so an attempt is a bug.
create function deposit_final_is_final() returns trigger language plpgsql as $$
begin
  if old.status = 'final' then
    raise exception 'deposit %:% is final and cannot change', old.tx_id, old.log_index using errcode = 'P0001';
  end if;
  return new;
end $$;
create trigger deposit_final_is_final before update or delete on deposit
  for each row execute function deposit_final_is_final();

-- One row per state change of a deposit to hand to Temporal, written in the same transaction as the change.
-- `sequence` orders the events of one deposit, so the workflow can ignore repeats and stale ones.
create table deposit_outbox (
  id int8 generated always as identity primary key,
  tx_id text not null,
  log_index int4 not null,
  sequence int4 not null check (sequence >= 1),
  event text not null check (event in ('seen', 'orphaned', 'final')),
  payload jsonb not null,
  created_at timestamptz not null default now(),
  dispatched_at timestamptz,
  unique (tx_id, log_index, sequence),
  foreign key (tx_id, log_index) references deposit (tx_id, log_index)
);
create index deposit_outbox_pending on deposit_outbox (id) where dispatched_at is null;

-- What the deposit workflow records when it receives a final deposit (until the ledger credit replaces it).
create table deposit_receipt (
  tx_id text not null,
  log_index int4 not null,
  workflow_id text not null,
  received_at timestamptz not null default now(),
  primary key (tx_id, log_index),
  foreign key (tx_id, log_index) references deposit (tx_id, log_index)
);
