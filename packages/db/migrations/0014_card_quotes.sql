-- The user API's cards (issue 10), owned by packages/card-store like the other card tables.
--
-- card_quote: a quote the user asked for before loading a card: the USDT amount, the whole quote (rate, spread in
-- basis points, gross, spread, fee and net USD, the FX configuration's version), when it was made and until when it
-- may be accepted. A load books exactly these figures. A quote is used once: the load that used it is recorded in
-- `load_id`, unique, together with the Idempotency-Key of the request that used it (so that request's retry after a
-- crash continues the same load, and any other request is told the quote is used).
create table card_quote (
  id text primary key check (id ~ '^qt_[a-z2-7]{16}$'),
  user_id text not null check (length(user_id) between 1 and 64),
  card_id text not null references card (id),
  amount_usdt_minor int8 not null check (amount_usdt_minor > 0),
  rate text not null check (length(rate) between 1 and 40),
  spread_basis_points int4 not null check (spread_basis_points between 0 and 10000),
  gross_usd_minor int8 not null check (gross_usd_minor > 0),
  spread_usd_minor int8 not null check (spread_usd_minor >= 0),
  fee_usd_minor int8 not null check (fee_usd_minor >= 0),
  net_usd_minor int8 not null check (net_usd_minor > 0),
  config_version text not null check (length(config_version) between 1 and 200),
  quoted_at timestamptz not null,
  expires_at timestamptz not null,
  load_id text unique references card_load (id),
  load_idempotency_key text check (length(load_idempotency_key) between 1 and 255),
  used_at timestamptz,
  check (gross_usd_minor = net_usd_minor + spread_usd_minor + fee_usd_minor),
  check (expires_at > quoted_at),
  check ((load_id is null) = (used_at is null) and (load_id is null) = (load_idempotency_key is null))
);
create index card_quote_user on card_quote (user_id, quoted_at);

-- The program limits sum a user's loads per UTC day and month.
create index card_load_user_created on card_load (user_id, created_at);

-- A card's last four digits as the provider reported them at issue (never the number or CVV), and a state change the
-- user asked for that is still on its way to the provider (freeze: PAUSED, unfreeze: OPEN): one direction at a time.
alter table card
  add column last_four text check (last_four ~ '^[0-9]{4}$'),
  add column requested_state text check (requested_state in ('OPEN', 'PAUSED')),
  add column requested_state_at timestamptz,
  add check ((requested_state is null) = (requested_state_at is null));

-- A card's transactions are listed from its stored events, newest first.
create index card_event_card on card_event (card_token, received_at desc, event_id desc);
