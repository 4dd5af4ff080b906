// The money module's typed failures. Each names the problem and the offending input, so an API can turn it into a
// precise 400 without guessing.
import { AppError } from '@cardgate/errors';

export type MoneyErrorReason =
  | 'not_a_string'
  | 'empty'
  | 'whitespace'
  | 'exponent'
  | 'sign_not_allowed'
  | 'leading_zero'
  | 'too_many_decimals'
  | 'malformed'
  | 'zero_not_allowed'
  | 'out_of_range'
  | 'asset_mismatch'
  | 'unknown_asset'
  | 'invalid_rate'
  | 'invalid_basis_points';

export class MoneyError extends AppError {
  override readonly reason: MoneyErrorReason;

  constructor(reason: MoneyErrorReason, message: string) {
    super('invalid_input', message, { reason });
    this.name = 'MoneyError';
    this.reason = reason;
  }
}
