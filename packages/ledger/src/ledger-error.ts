// The ledger's typed failures. "insufficient funds" (a flag that would be broken) is only ever a business
// outcome; a serialization failure, deadlock or lost connection is retried inside the ledger and, if it persists,
// surfaces as `unavailable` or `ambiguous`, never as a business error.
import { AppError, type ErrorCode } from '@cardgate/errors';

export type LedgerErrorReason =
  | 'invalid_id'
  | 'invalid_amount'
  | 'invalid_code'
  | 'invalid_metadata'
  | 'invalid_timeout'
  | 'invalid_account'
  | 'same_account'
  | 'asset_mismatch'
  | 'account_not_found'
  | 'account_closed'
  | 'exceeds_credits'
  | 'exceeds_debits'
  | 'exists_with_different_fields'
  | 'duplicate_in_batch'
  | 'pending_not_found'
  | 'pending_already_posted'
  | 'pending_already_voided'
  | 'pending_expired'
  | 'post_exceeds_pending'
  | 'batch_empty'
  | 'batch_too_large'
  | 'account_not_empty'
  | 'retries_exhausted'
  | 'outcome_unknown';

const codeByReason: Record<LedgerErrorReason, ErrorCode> = {
  invalid_id: 'invalid_input',
  invalid_amount: 'invalid_input',
  invalid_code: 'invalid_input',
  invalid_metadata: 'invalid_input',
  invalid_timeout: 'invalid_input',
  invalid_account: 'invalid_input',
  same_account: 'invalid_input',
  asset_mismatch: 'invalid_input',
  duplicate_in_batch: 'invalid_input',
  batch_empty: 'invalid_input',
  batch_too_large: 'invalid_input',
  account_not_found: 'not_found',
  pending_not_found: 'not_found',
  account_closed: 'rule_violation',
  exceeds_credits: 'rule_violation',
  exceeds_debits: 'rule_violation',
  pending_already_posted: 'conflict',
  pending_already_voided: 'conflict',
  pending_expired: 'rule_violation',
  post_exceeds_pending: 'rule_violation',
  account_not_empty: 'rule_violation',
  exists_with_different_fields: 'conflict',
  retries_exhausted: 'unavailable',
  outcome_unknown: 'ambiguous',
};

export class LedgerError extends AppError {
  override readonly reason: LedgerErrorReason;
  /** Index of the offending transfer within its batch, when one is to blame. */
  readonly index: number | undefined;

  constructor(reason: LedgerErrorReason, message: string, options: { index?: number; cause?: unknown } = {}) {
    super(codeByReason[reason], message, {
      reason,
      ...(options.index === undefined ? {} : { details: { index: options.index } }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'LedgerError';
    this.reason = reason;
    this.index = options.index;
  }
}
