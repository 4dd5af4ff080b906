-- Reconciliation (packages/reconciliation owns these tables): each run with its as-of points and summary, the
-- findings it made (differences and items in flight, each naming its objects and both sides' amounts), and the
-- reconciler's own record of final USDT transfers to our addresses, read from the chain's blocks independently of
-- the watcher, so each run reads only the blocks made final since the last one.
create table reconciliation_run (
  id int8 generated always as identity primary key,
  trigger text not null check (trigger ~ '^[a-z][a-z0-9_-]{0,31}$'),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  status text not null check (status in ('running', 'clean', 'differences', 'failed')),
  as_of jsonb not null default '{}'::jsonb,
  summary jsonb not null default '{}'::jsonb,
  differences_count int4 not null default 0 check (differences_count >= 0),
  in_flight_count int4 not null default 0 check (in_flight_count >= 0),
  failure text check (length(failure) <= 2000),
  check ((status = 'running') = (finished_at is null))
);
create index reconciliation_run_latest on reconciliation_run (started_at desc);

create table reconciliation_finding (
  run_id int8 not null references reconciliation_run (id),
  ordinal int4 not null check (ordinal >= 0),
  comparison text not null check (comparison in ('ledger', 'chain', 'provider')),
  category text not null check (category in ('difference', 'in_flight')),
  kind text not null check (kind ~ '^[a-z][a-z0-9_]{0,63}$'),
  asset text,
  -- Both sides of the comparison in minor units of `asset`; null where a side has no amount.
  ledger_minor int8,
  other_minor int8,
  objects jsonb not null,
  detail text not null check (length(detail) <= 1000),
  primary key (run_id, ordinal)
);

create table reconciliation_chain_cursor (
  chain text primary key,
  block_number int8 not null check (block_number >= 0),
  block_hash text not null,
  updated_at timestamptz not null default now()
);

create table reconciliation_chain_transfer (
  chain text not null,
  tx_id text not null check (tx_id ~ '^[0-9a-f]{64}$'),
  log_index int4 not null check (log_index >= 0),
  to_address text not null check (to_address ~ '^41[0-9a-f]{40}$'),
  from_address text not null check (from_address ~ '^41[0-9a-f]{40}$'),
  amount_minor int8 not null check (amount_minor > 0),
  block_number int8 not null check (block_number >= 0),
  primary key (chain, tx_id, log_index)
);
