// Shape checks on requests before anything touches the database: ids, codes, amounts, metadata. A request that fails
// here is refused with a reason and nothing is written.
import { assetByCode, type Money } from '@cardgate/money';
import { LedgerError } from './ledger-error.ts';
import type { Metadata, TransferRequest } from './types.ts';

export const transferIdPattern = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$/;
export const transferCodePattern = /^[a-z][a-z0-9_.:-]{0,63}$/;
const accountCodePattern = /^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*$/;
const metadataKeysMax = 32;
const metadataValueLengthMax = 512;
/** Transfers in one linked batch (one `submit`, all or nothing) at most. */
export const linkedTransfersMax = 1_000;

export function checkAccountCode(code: unknown): string {
  if (typeof code !== 'string' || code.length > 120 || !accountCodePattern.test(code))
    throw new LedgerError('invalid_account', `account code ${JSON.stringify(code)} is malformed`);
  return code;
}

function checkAmount(amount: Money | undefined, index: number): void {
  if (amount === undefined) return;
  if (typeof amount !== 'object' || typeof amount.minor !== 'bigint')
    throw new LedgerError('invalid_amount', 'amount must be Money', { index });
  assetByCode(amount.asset.code);
  if (amount.minor <= 0n)
    throw new LedgerError('invalid_amount', `amount must be positive, got ${amount.minor} minor units`, {
      index,
    });
  if (amount.minor > amount.asset.minorMax)
    throw new LedgerError(
      'invalid_amount',
      `amount ${amount.minor} is above the ${amount.asset.code} bound`,
      { index },
    );
}

function checkMetadata(metadata: Metadata | undefined, index: number): void {
  if (metadata === undefined) return;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw new LedgerError('invalid_metadata', 'metadata must be a flat object', { index });
  const entries = Object.entries(metadata);
  if (entries.length > metadataKeysMax)
    throw new LedgerError('invalid_metadata', `metadata has more than ${metadataKeysMax} keys`, { index });
  for (const [key, value] of entries) {
    const ok =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isSafeInteger(value)) ||
      (typeof value === 'string' && value.length <= metadataValueLengthMax);
    // Amounts belong in `amount`; a fractional number in metadata is refused so no float sneaks into the books.
    if (!ok)
      throw new LedgerError(
        'invalid_metadata',
        `metadata ${key} must be a string, safe integer, boolean or null`,
        { index },
      );
  }
}

function checkAccountId(id: unknown, side: string, index: number): void {
  if (typeof id !== 'bigint' || id <= 0n)
    throw new LedgerError('invalid_account', `${side} account id must be a positive bigint`, { index });
}

function isList(value: unknown): boolean {
  return Array.isArray(value);
}

export function validateBatch(requests: readonly TransferRequest[]): void {
  // A plain boolean helper: Array.isArray would narrow `requests` to any[] and hide its element type.
  if (!isList(requests) || requests.length === 0)
    throw new LedgerError('batch_empty', 'a batch needs at least one transfer');
  if (requests.length > linkedTransfersMax)
    throw new LedgerError('batch_too_large', `a linked batch holds at most ${linkedTransfersMax} transfers`);
  const ids = new Set<string>();
  requests.forEach((request, index) => {
    if (typeof request.id !== 'string' || !transferIdPattern.test(request.id))
      throw new LedgerError('invalid_id', `transfer id ${JSON.stringify(request.id)} is malformed`, {
        index,
      });
    if (ids.has(request.id))
      throw new LedgerError('duplicate_in_batch', `transfer id ${request.id} appears twice`, { index });
    ids.add(request.id);
    if (typeof request.code !== 'string' || !transferCodePattern.test(request.code))
      throw new LedgerError('invalid_code', `transfer code ${JSON.stringify(request.code)} is malformed`, {
        index,
      });
    checkMetadata(request.metadata, index);
    switch (request.type) {
      case 'posted':
      case 'pending':
        checkAccountId(request.debitAccountId, 'debit', index);
        checkAccountId(request.creditAccountId, 'credit', index);
        if (request.debitAccountId === request.creditAccountId)
          throw new LedgerError('same_account', 'debit and credit account must differ', { index });
        if (request.amount === undefined)
          throw new LedgerError('invalid_amount', 'amount is required', { index });
        checkAmount(request.amount, index);
        if (request.type === 'pending' && request.timeoutAt !== undefined) {
          if (!(request.timeoutAt instanceof Date) || Number.isNaN(request.timeoutAt.getTime()))
            throw new LedgerError('invalid_timeout', 'timeoutAt must be a valid Date', { index });
        }
        break;
      case 'post_pending':
        if (typeof request.pendingId !== 'string' || !transferIdPattern.test(request.pendingId))
          throw new LedgerError(
            'invalid_id',
            `pending id ${JSON.stringify(request.pendingId)} is malformed`,
            { index },
          );
        checkAmount(request.amount, index);
        break;
      case 'void_pending':
        if (typeof request.pendingId !== 'string' || !transferIdPattern.test(request.pendingId))
          throw new LedgerError(
            'invalid_id',
            `pending id ${JSON.stringify(request.pendingId)} is malformed`,
            { index },
          );
        break;
      default:
        throw new LedgerError(
          'invalid_id',
          `unknown transfer type ${JSON.stringify((request as { type: unknown }).type)}`,
          {
            index,
          },
        );
    }
  });
}
