export * from './types.ts';
export * from './ledger-error.ts';
export { createLedger, expiryTransferId, type Ledger, type LedgerOptions } from './ledger.ts';
export {
  accountsOwnedByQuery,
  balanceOf,
  createLedgerReads,
  ledgerAccountFromRow,
  ledgerAccountRow,
  ownedAccountsMax,
  transfersByIdsMax,
  type LedgerReads,
  type OwnerStatementLine,
  type OwnerStatementPage,
  type StatementEntry,
  type StatementPage,
} from './reads.ts';
export type { VerifyReport } from './verify.ts';
export { LedgerInvariantError } from './invariants.ts';
export type { CommitCounts } from './commit.ts';
