-- The journal's checks, the same rules at a lower cost per row. A batch of 800 transfers spent about 20 ms of its
-- 800-row insert on the two text checks and the two account foreign keys (measured below); these rules stay in the
-- database, for every writer, and refuse exactly what they refused before.

-- 1. Text checks. 0002 wrote the id and code rules as bounded repetitions ({0,127}, {0,63}). PostgreSQL's regex
-- engine expands a bounded repetition into that many copies of the repeated atom, so each check ran a large
-- automaton over every new row. Measured here (200,000 ids like the ledger's, one statement): 7.5 µs per id and 3 µs
-- per code with the bounded forms, 0.35 µs each as an unbounded repetition plus a length limit. The rules are
-- unchanged: a first character from the first class, then only characters of the second class, and at most 128 (id)
-- or 64 (code) characters in all. The constraints keep their names.
alter table ledger_transfer
  drop constraint ledger_transfer_id_check,
  add constraint ledger_transfer_id_check check (id ~ '^[A-Za-z0-9][A-Za-z0-9:._-]*$' and length(id) <= 128),
  drop constraint ledger_transfer_code_check,
  add constraint ledger_transfer_code_check check (code ~ '^[a-z][a-z0-9_.:-]*$' and length(code) <= 64);

-- 2. Every transfer names two accounts that exist, with the transfer's asset. 0002 enforced it with two foreign keys,
-- (debit_account_id, asset) and (credit_account_id, asset), which PostgreSQL checks row by row, each check a query of
-- its own that also takes a key-share lock on the account row: 1,600 such queries for 800 transfers, about 11 ms of an
-- 800-row insert that took 25–28 ms (pgbench, best of 10 blocks, the bench's journal). The same rule is now one check
-- per statement, over the rows the statement inserted, plus what the foreign keys' locks were for:
--   - an account row is never deleted or truncated (0002's triggers), and
--   - an account's id and asset never change (the trigger below),
-- so an account found when the rows are checked stays what they name. An account inserted by a transaction that has
-- not committed is not found, as before a foreign key would have waited for it; the ledger never names such an account.
-- Measured: the 800-row insert 16 ms instead of 28 (best of 10 blocks); an 8-row insert (a group of single transfers)
-- 0.62 ms against 0.59 with the foreign keys.
alter table ledger_transfer
  drop constraint ledger_transfer_debit_account_id_asset_fkey,
  drop constraint ledger_transfer_credit_account_id_asset_fkey;

create function ledger_account_keys_are_fixed() returns trigger language plpgsql as $$
begin
  if new.id is distinct from old.id or new.asset is distinct from old.asset then
    raise exception 'ledger account % keeps its id and asset: journal rows name them', old.id
      using errcode = 'foreign_key_violation';
  end if;
  return new;
end $$;
-- Fires only for an update that sets id or asset: the batches' updates of totals never run it.
create trigger ledger_account_keys_fixed before update of id, asset on ledger_account
  for each row execute function ledger_account_keys_are_fixed();

create function ledger_transfer_accounts_exist() returns trigger language plpgsql as $$
declare
  v_missing record;
begin
  -- Correlated scalar subqueries: one probe of the (id, asset) index per row and side, whatever the sizes of the
  -- tables. Written as NOT EXISTS joined by OR, the planner hashed the whole account table on every statement.
  select n.id, n.asset, n.debit_account_id, n.credit_account_id into v_missing
  from new_rows n
  where (select a.asset from ledger_account a where a.id = n.debit_account_id) is distinct from n.asset
     or (select a.asset from ledger_account a where a.id = n.credit_account_id) is distinct from n.asset
  limit 1;
  if found then
    raise exception 'transfer % names an account that does not exist with asset % (debit %, credit %)',
      v_missing.id, v_missing.asset, v_missing.debit_account_id, v_missing.credit_account_id
      using errcode = 'foreign_key_violation';
  end if;
  return null;
end $$;
create trigger ledger_transfer_accounts_exist after insert on ledger_transfer
  referencing new table as new_rows for each statement execute function ledger_transfer_accounts_exist();
