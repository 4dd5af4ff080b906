-- Cards and the card flows' own records. Money moves only in the ledger; these tables say which card belongs to whom,
-- which provider events arrived (each stored once, by event id), and where each card load stands.

create table card (
  -- Cardgate's id, chosen before the provider is called: it is the provider idempotency key of the card's creation.
  id text primary key check (id ~ '^crd_[A-Za-z0-9_-]{8,64}$'),
  user_id text not null check (length(user_id) between 1 and 64),
  provider_token text unique check (length(provider_token) between 1 and 64),
  state text not null default 'issuing' check (state in ('issuing', 'OPEN', 'PAUSED', 'CLOSED', 'failed')),
  ledger_account_id int8 references ledger_account (id),
  auto_load boolean not null default false,
  created_at timestamptz not null default now(),
  issued_at timestamptz,
  check ((state in ('issuing', 'failed')) = (provider_token is null))
);
create index card_user on card (user_id);
-- A deposit can continue into at most one card.
create unique index card_one_auto_load_per_user on card (user_id) where auto_load;

create table card_event (
  event_id text primary key check (length(event_id) between 1 and 128),
  provider_transaction_id text not null,
  card_token text not null,
  kind text not null,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  handed_over_at timestamptz
);
create index card_event_waiting on card_event (received_at) where handed_over_at is null;
create index card_event_transaction on card_event (provider_transaction_id);

create table card_load (
  id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9:._-]{0,95}$'),
  card_id text not null references card (id),
  user_id text not null,
  amount_usdt_minor int8 not null check (amount_usdt_minor > 0),
  amount_usd_minor int8 check (amount_usd_minor > 0),
  rate text,
  status text not null check (status in ('holding', 'loading', 'loaded', 'failed')),
  provider_load_token text,
  failure_reason text,
  created_at timestamptz not null default now(),
  loaded_at timestamptz,
  check ((status = 'loaded') = (loaded_at is not null))
);

-- What the ledger holds for each provider transaction, advanced by compare-and-set on `applied_version` after the
-- ledger batch of that version committed (ledger transfer ids carry the version, so a repeat writes nothing twice).
create table card_transaction (
  provider_transaction_id text primary key check (length(provider_transaction_id) between 1 and 64),
  card_id text not null references card (id),
  applied_version int4 not null default 0 check (applied_version >= 0),
  hold_minor int8 not null default 0 check (hold_minor >= 0),
  hold_transfer_id text,
  debited_minor int8 not null default 0 check (debited_minor >= 0),
  credited_minor int8 not null default 0 check (credited_minor >= 0),
  expired_at timestamptz,
  updated_at timestamptz not null default now(),
  check ((hold_minor > 0) = (hold_transfer_id is not null))
);
