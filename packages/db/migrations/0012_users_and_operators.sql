-- Cardgate's users and its operators.
--
-- app_user: one row per Telegram user who signed in to the Mini App. `id` is Cardgate's own stable id, the one
-- the ledger accounts, deposit addresses and cards key on; Telegram's profile fields are kept and updated when they
-- change. Owned by packages/users.
create table app_user (
  id text primary key check (id ~ '^usr_[a-z2-7]{16}$'),
  telegram_user_id int8 not null unique check (telegram_user_id > 0),
  first_name text not null check (length(first_name) <= 256),
  last_name text check (length(last_name) <= 256),
  username text check (length(username) <= 64),
  language_code text check (length(language_code) <= 35),
  is_premium boolean not null default false,
  photo_url text check (length(photo_url) <= 1024),
  -- The bot may not write to this user (Telegram answered 403): set by the bot, cleared when the user is back.
  bot_blocked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Operators' bearer tokens: random secrets stored only as SHA-256 hashes (a token is 32 random bytes, so a fast hash
-- is enough: there is nothing to guess), with scopes and an expiry. Owned by packages/operators.
create table operator_token (
  id text primary key check (id ~ '^opt_[a-z2-7]{16}$'),
  name text not null check (length(name) between 1 and 100),
  token_sha256 bytea not null unique check (length(token_sha256) = 32),
  scopes text[] not null check (scopes <@ array['read', 'operate', 'admin']::text[] and cardinality(scopes) >= 1),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  check (expires_at > created_at)
);

-- Every operator action, appended once and never changed. Owned by packages/operators.
create table operator_audit (
  id int8 generated always as identity primary key,
  at timestamptz not null default now(),
  -- The token's id, or 'cli:<os user>' for the ops command line run with database access.
  actor text not null check (length(actor) between 1 and 120),
  action text not null check (action ~ '^[a-z][a-z_.]{0,63}$'),
  target text not null check (length(target) between 1 and 200),
  request_id text check (length(request_id) <= 100),
  result text not null check (result in ('ok', 'refused', 'failed')),
  detail jsonb not null default '{}'::jsonb
);
create index operator_audit_by_target on operator_audit (target, id);

create function operator_audit_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'operator_audit is append-only' using errcode = 'OA001';
end $$;
create trigger operator_audit_append_only before update or delete or truncate on operator_audit
  for each statement execute function operator_audit_append_only();

-- A user's ledger accounts (wallet and cards) are read together for their balances.
create index ledger_account_by_owner on ledger_account (owner_ref) where owner_ref is not null;
