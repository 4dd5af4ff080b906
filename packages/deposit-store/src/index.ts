// The one owner of the deposit tables: chain_cursor, chain_block, deposit and deposit_outbox. The watcher writes them
// (deposit-store.ts) and hands the outbox to Temporal (deposit-outbox.ts); the user API reads a user's deposits
// (deposit-reads.ts). Nothing else names these tables in SQL.
export * from './deposit-store.ts';
export * from './deposit-outbox.ts';
export * from './deposit-reads.ts';
