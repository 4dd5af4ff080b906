-- ledger_pending_open is bookkeeping derived from the journal (which holds are still open, for the expiry sweep and for
-- verify), written only by ledger_write_batch in the same statement that inserts the hold, and the journal can never
-- lose a row (0002's triggers). Its foreign key to the journal could therefore never fail, yet it cost a lookup on
-- every hold (measured: hold+post pairs 1,964–1,990/s with it, 2,032–2,039/s without). The ledger's verify now checks
-- the same thing after the fact: every open row names an existing pending transfer. The journal's own foreign keys
-- (accounts and assets, the resolved pending transfer) stay.
alter table ledger_pending_open drop constraint ledger_pending_open_transfer_id_fkey;
