export * from './types.ts';
export * from './ledger-error.ts';
export { createLedger, expiryTransferId, type Ledger, type LedgerOptions } from './ledger.ts';
export {
  balanceOf,
  createLedgerReads,
  ownerAccountsMax,
  transferPageMax,
  type LedgerReads,
  type StatementEntry,
  type StatementPage,
} from './reads.ts';
export { verifyLedger, type VerifyReport } from './verify.ts';
export { LedgerInvariantError } from './invariants.ts';
export type { CommitCounts } from './commit.ts';
