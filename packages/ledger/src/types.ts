// The ledger's vocabulary. Amounts are Money (bigint minor units tagged with the asset); account ids are bigint.
import type { Money } from '@cardgate/money';

export type AccountKind = 'asset' | 'liability' | 'revenue' | 'expense' | 'equity';

export interface AccountFlags {
  /** The account may not spend what it has not received: debits (posted + pending) ≤ credits posted. */
  readonly debitsMustNotExceedCredits?: boolean;
  /** The mirror rule: credits (posted + pending) ≤ debits posted. */
  readonly creditsMustNotExceedDebits?: boolean;
}

export interface AccountSpec extends AccountFlags {
  /** Human code, unique: `user:42:wallet:USDT`, `fees:deposit:USDT`, `treasury:tron:USDT`, `fx:USDT`. */
  readonly code: string;
  readonly asset: string;
  readonly kind: AccountKind;
  readonly ownerRef?: string;
}

export interface Totals {
  readonly debitsPosted: bigint;
  readonly creditsPosted: bigint;
  readonly debitsPending: bigint;
  readonly creditsPending: bigint;
}

export interface Account extends Totals {
  readonly id: bigint;
  readonly code: string;
  readonly asset: string;
  readonly kind: AccountKind;
  readonly ownerRef: string | null;
  readonly debitsMustNotExceedCredits: boolean;
  readonly creditsMustNotExceedDebits: boolean;
  readonly closed: boolean;
}

export type Metadata = Readonly<Record<string, string | number | boolean | null>>;

interface TransferRequestBase {
  /** Client-chosen idempotency key: `[A-Za-z0-9][A-Za-z0-9:._-]{0,127}`. */
  readonly id: string;
  /** What the transfer is for: `deposit`, `deposit_fee`, `card_load`, ... */
  readonly code: string;
  readonly metadata?: Metadata;
}

/** Moves `amount` from the debit account to the credit account now. */
export interface PostedTransferRequest extends TransferRequestBase {
  readonly type: 'posted';
  readonly debitAccountId: bigint;
  readonly creditAccountId: bigint;
  readonly amount: Money;
}

/** Reserves `amount` (a hold): counted against flags, moved only when posted. */
export interface PendingTransferRequest extends TransferRequestBase {
  readonly type: 'pending';
  readonly debitAccountId: bigint;
  readonly creditAccountId: bigint;
  readonly amount: Money;
  /** After this moment the hold can no longer be posted and is voided by the expiry sweep. */
  readonly timeoutAt?: Date;
}

/** Posts a pending transfer, fully or partly (the rest is released). */
export interface PostPendingRequest extends TransferRequestBase {
  readonly type: 'post_pending';
  readonly pendingId: string;
  /** Defaults to the whole pending amount. */
  readonly amount?: Money;
}

/** Releases a pending transfer without moving money. */
export interface VoidPendingRequest extends TransferRequestBase {
  readonly type: 'void_pending';
  readonly pendingId: string;
}

export type TransferRequest =
  PostedTransferRequest | PendingTransferRequest | PostPendingRequest | VoidPendingRequest;

export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending' | 'expire_pending';

export interface Transfer {
  readonly seq: bigint;
  readonly id: string;
  readonly batchId: string;
  readonly kind: TransferKind;
  readonly code: string;
  readonly asset: string;
  readonly debitAccountId: bigint;
  readonly creditAccountId: bigint;
  readonly amountMinor: bigint;
  readonly pendingId: string | null;
  readonly timeoutAt: Date | null;
  readonly metadata: Metadata;
  /** Totals of the debit and credit accounts right after this transfer. */
  readonly debitAfter: Totals;
  readonly creditAfter: Totals;
  readonly createdAt: Date;
}

export interface TransferResult {
  /** `created` now, or `exists`: the same request was committed before and this is its original outcome. */
  readonly status: 'created' | 'exists';
  readonly transfer: Transfer;
}

export interface Balance extends Totals {
  readonly accountId: bigint;
  readonly asset: string;
  /** credits − debits posted (negative for accounts whose normal side is debit). */
  readonly postedNet: bigint;
  /** What can still be spent from an account with debitsMustNotExceedCredits: credits posted − debits posted − debits pending. */
  readonly available: bigint;
}
