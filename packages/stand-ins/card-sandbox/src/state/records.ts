// The sandbox's records and the shapes it answers with: cards, loads, transactions with their events, their views,
// the refusal type and the bounds that keep the model (in memory, and on disk when persisted) from growing without
// limit.
export type CardState = 'OPEN' | 'PAUSED' | 'CLOSED';
export type TransactionStatus = 'PENDING' | 'SETTLED' | 'DECLINED' | 'VOIDED' | 'EXPIRED';
export type EventKind =
  | 'AUTHORIZATION'
  | 'AUTHORIZATION_ADVICE'
  | 'AUTHORIZATION_REVERSAL'
  | 'AUTHORIZATION_EXPIRY'
  | 'CLEARING'
  | 'FINANCIAL_AUTHORIZATION'
  | 'RETURN'
  | 'RETURN_REVERSAL'
  | 'CREDIT_AUTHORIZATION'
  | 'FINANCIAL_CREDIT_AUTHORIZATION'
  | 'CORRECTION_CREDIT'
  | 'CORRECTION_DEBIT'
  | 'BALANCE_INQUIRY';
export type DeclineReason = 'CARD_PAUSED' | 'CARD_CLOSED' | 'INSUFFICIENT_FUNDS';
export type SimulateResult = 'APPROVED' | DeclineReason;
/** What started a transaction: an authorization (dual message), a single-message debit, a return, a force post. */
export type TransactionOrigin =
  | 'AUTHORIZATION'
  | 'FINANCIAL_AUTHORIZATION'
  | 'RETURN'
  | 'FORCE_POST'
  | 'CREDIT_AUTHORIZATION'
  | 'FINANCIAL_CREDIT'
  | 'CORRECTION'
  | 'BALANCE_INQUIRY';

export const currency = 'USD';

// Bounds: the sandbox holds everything in memory (and on disk when persisted), so nothing grows without limit.
export const stateLimits = {
  cards: 100_000,
  loads: 1_000_000,
  transactions: 1_000_000,
  eventsPerTransaction: 1_000,
  idempotencyRecords: 1_000_000,
} as const;

/** A refusal with its HTTP status and error code (API.md's error table). */
export class SandboxError extends Error {
  readonly status: 400 | 404 | 409 | 422;
  readonly code: string;
  constructor(status: 400 | 404 | 409 | 422, code: string, message: string) {
    super(message);
    this.name = 'SandboxError';
    this.status = status;
    this.code = code;
  }
}

export interface WebhookEvent {
  readonly event_id: string;
  readonly event_type: 'card_transaction.updated';
  readonly created: string;
  readonly payload: {
    readonly transaction_token: string;
    readonly card_token: string;
    readonly kind: EventKind;
    readonly result: SimulateResult;
    readonly sequence: number;
    readonly amount: string;
    readonly currency: string;
    readonly merchant_amount: string;
    readonly merchant_currency: string;
    readonly mcc: string | null;
    readonly descriptor: string;
  };
}

export interface CardRecord {
  readonly token: string;
  readonly type: 'VIRTUAL';
  state: CardState;
  readonly lastFour: string;
  readonly created: string;
  readonly memo: string | null;
}

export interface LoadRecord {
  readonly token: string;
  readonly cardToken: string;
  readonly idempotencyKey: string;
  readonly amount: bigint;
  readonly created: string;
}

export interface TransactionRecord {
  readonly token: string;
  readonly cardToken: string;
  readonly origin: TransactionOrigin;
  readonly result: SimulateResult;
  /** Authorized total (authorizations), else the transaction's original amount. */
  authorized: bigint;
  /** The open hold: counts in the card's pending balance. */
  hold: bigint;
  /** Posted debits on this transaction. */
  debited: bigint;
  /** Posted credits on this transaction. */
  credited: bigint;
  /** A credit authorization not yet settled: shown to nobody as spendable, so outside every balance. */
  pendingCredit: bigint;
  /** The last release of the hold, when the hold was released rather than cleared. */
  released: 'VOIDED' | 'EXPIRED' | null;
  readonly descriptor: string;
  readonly mcc: string | null;
  readonly merchantAmount: bigint;
  readonly merchantCurrency: string;
  readonly created: string;
  readonly events: WebhookEvent[];
}

export interface BalanceView {
  readonly currency: string;
  readonly available_amount: string;
  readonly pending_amount: string;
  readonly settled_amount: string;
}

export interface CardView {
  readonly token: string;
  readonly type: 'VIRTUAL';
  readonly state: CardState;
  readonly last_four: string;
  readonly created: string;
  readonly memo: string | null;
  readonly balance: BalanceView;
}

export interface LoadView {
  readonly token: string;
  readonly card_token: string;
  readonly idempotency_key: string;
  readonly amount: string;
  readonly currency: string;
  readonly status: 'SETTLED';
  readonly created: string;
}

export interface TransactionView {
  readonly token: string;
  readonly card_token: string;
  readonly status: TransactionStatus;
  /** Signed like Lithic: debits positive, a return (credit) negative. */
  readonly amount: string;
  /** Net posted on this transaction: debits positive, credits negative. */
  readonly settled_amount: string;
  readonly pending_amount: string;
  readonly descriptor: string;
  readonly mcc: string | null;
  readonly merchant_amount: string;
  readonly merchant_currency: string;
  readonly created: string;
  readonly events: readonly WebhookEvent[];
}

export interface Balance {
  readonly settled: bigint;
  readonly pending: bigint;
  readonly available: bigint;
}

/** A state change and the event it produced (the one webhook to deliver). */
export interface SimulateOutcome {
  readonly transaction: TransactionRecord;
  readonly event: WebhookEvent;
}

export interface MerchantDetails {
  readonly descriptor: string;
  readonly mcc?: string | undefined;
  readonly merchantAmount?: bigint | undefined;
  readonly merchantCurrency?: string | undefined;
}
