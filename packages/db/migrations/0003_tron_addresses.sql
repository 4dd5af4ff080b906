-- One TRON deposit address per user, derived on m/44'/195'/<account>'/0/<index>. The index is handed out once per
-- account by a counter row (locked while assigning), so two users never share an index, and a user keeps one address.
create table deposit_address_counter (
  chain_account int4 primary key check (chain_account >= 0),
  next_index int4 not null check (next_index >= 0)
);

create table deposit_address (
  id int8 generated always as identity primary key,
  user_id text not null unique check (length(user_id) between 1 and 64),
  chain_account int4 not null,
  derivation_index int4 not null check (derivation_index >= 0),
  address_base58 text not null unique check (address_base58 ~ '^T[1-9A-HJ-NP-Za-km-z]{33}$'),
  address_hex text not null unique check (address_hex ~ '^41[0-9a-f]{40}$'),
  created_at timestamptz not null default now(),
  unique (chain_account, derivation_index)
);
