// Names recorded in Temporal histories or stored data that say "hold" where code says "pending" (the ledger's word
// for an amount reserved but not posted). A recorded name cannot change: running and recorded workflows would no
// longer meet their activities, and stored ids and codes are idempotency keys. So each is kept here, once, and code
// reaches it through its "pending" name. User-facing text may still say "hold".
//
// Kept as they are, and why (each in the file that owns it):
// - `holdMinor` in CardTransactionTargetText / AppliedCardTransaction (card.ts): recorded activity inputs and results;
//   in code it is the pending debit (`pendingDebitMinor`).
// - `holdLifetimeOverrideMs` in CardTransactionWorkflowInput (card.ts): recorded workflow inputs (tests and dev only).
// - transfer id suffixes `:hold`, `:release` and codes `card_hold`, `card_hold_release` (@cardgate/domain
//   cardTransactionTransferNames): stored ledger ids a repeat must meet again.
// - card_transaction columns `hold_minor`, `hold_transfer_id` and card_load status `holding` (@cardgate/card-store):
//   stored data, mapped to pending names where they are read.
// - the card load workflow's state `holding` (its state query's answer, read by operators; not in histories).

/** Activity types whose recorded name differs from their code name: code name → recorded name. */
export const recordedActivityTypes = {
  /** Makes a card load with its quote and puts its USDT pending on the wallet. */
  placeCardLoadPending: 'holdCardLoad',
} as const;
