-- A card transaction can also hold a pending credit (a CREDIT_AUTHORIZATION not yet settled): recorded like the hold.
alter table card_transaction
  add column pending_credit_minor int8 not null default 0 check (pending_credit_minor >= 0),
  add column pending_credit_transfer_id text,
  add check ((pending_credit_minor > 0) = (pending_credit_transfer_id is not null));
