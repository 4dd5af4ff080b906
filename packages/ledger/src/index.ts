export * from './types.ts';
export * from './ledger-error.ts';
export {
  createLedger,
  expiryTransferId,
  type Ledger,
  type LedgerBatchObservation,
  type LedgerOptions,
} from './ledger.ts';
export {
  accountsOwnedByQuery,
  balanceOf,
  createLedgerReads,
  ledgerAccountFromRow,
  ledgerAccountRow,
  ownedAccountsMax,
  ownerAccountsMax,
  transferPageMax,
  transfersByIdsMax,
  type LedgerReads,
  type OwnerStatementLine,
  type OwnerStatementPage,
  type StatementEntry,
  type StatementPage,
} from './reads.ts';
export { createAccountResolver, type AccountIds, type AccountResolver } from './account-resolver.ts';
export { verifyLedger, type VerifyProblem, type VerifyReport } from './verify.ts';
export { LedgerInvariantError } from './invariants.ts';
export type { CommitCounts } from './commit.ts';
export {
  createLedgerReconciliationReads,
  reconciliationPageRowsMax,
  type AccountAt,
  type JournalEntry,
} from './reconciliation-reads.ts';
export {
  importAccounts,
  importAccountsMax,
  importPostedTransfers,
  importTransfersMax,
  type ImportedTransfer,
} from './import.ts';
