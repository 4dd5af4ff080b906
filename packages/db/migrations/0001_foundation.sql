-- Foundation: a table the health checks and the harness round trip use, and a generic idempotency store for
-- external calls and API writes. Later issues add their own numbered files.
create table service_heartbeat (
  service text primary key,
  beat_at timestamptz not null default now()
);

create table idempotency_key (
  scope text not null,
  key text not null check (length(key) between 1 and 200),
  request_hash text not null,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (scope, key)
);
