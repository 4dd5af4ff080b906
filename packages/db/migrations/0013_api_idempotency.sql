-- Request idempotency for the API's writes (IETF httpapi Idempotency-Key draft, Stripe's behaviour). The
-- idempotency_key table of 0001 was never used; it is replaced by one shaped for requests: the caller's scope, a
-- fingerprint of the request, whether the first request is still running (with a lease, so a crashed one can be
-- taken over), and the stored response. Owned by the API's idempotency middleware.
drop table idempotency_key;

create table api_idempotency (
  -- 'user:<id>' or 'operator:<token id>': a key is the caller's own.
  scope text not null check (length(scope) between 1 and 100),
  key text not null check (length(key) between 1 and 255),
  -- SHA-256 of method, path and body.
  fingerprint text not null check (fingerprint ~ '^[0-9a-f]{64}$'),
  state text not null check (state in ('running', 'done')),
  -- While running: a request still running past this time is taken to have died, and a repeat may take it over.
  lease_until timestamptz not null,
  response_status int4 check (response_status between 100 and 599),
  response_body text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (scope, key),
  check ((state = 'done') = (response_status is not null and response_body is not null))
);
create index api_idempotency_expiry on api_idempotency (expires_at);
