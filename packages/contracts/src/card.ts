// The card flows' contracts: workflow ids, signal names and the normalized card transaction event that travels from
// the API (webhook) to the per-transaction workflow. JSON-safe: amounts are strings of integer minor units.

export const cardTransactionEventKinds = [
  'AUTHORIZATION',
  'AUTHORIZATION_ADVICE',
  'AUTHORIZATION_REVERSAL',
  'AUTHORIZATION_EXPIRY',
  'CLEARING',
  'FINANCIAL_AUTHORIZATION',
  'RETURN',
  'RETURN_REVERSAL',
  'CREDIT_AUTHORIZATION',
  'FINANCIAL_CREDIT_AUTHORIZATION',
  'CORRECTION_CREDIT',
  'CORRECTION_DEBIT',
  'BALANCE_INQUIRY',
] as const;

export type CardTransactionEventKind = (typeof cardTransactionEventKinds)[number];

/** One provider event about one card transaction, as Cardgate stores it and the workflow receives it. */
export interface CardTransactionEvent {
  readonly eventId: string;
  readonly kind: CardTransactionEventKind;
  /** `APPROVED` or the provider's decline reason; a declined event moves no money. */
  readonly result: string;
  readonly providerTransactionId: string;
  readonly cardToken: string;
  /** Counts the transaction's events from 1 at the provider: orders events that arrive out of order. */
  readonly sequence: number;
  /** Integer minor units of `currency` (the card's currency), as a decimal string. */
  readonly amountMinor: string;
  readonly currency: string;
  readonly merchantAmountMinor: string | null;
  readonly merchantCurrency: string | null;
  readonly mcc: string | null;
  readonly descriptor: string | null;
  /** ISO 8601 time the provider created the event. */
  readonly occurredAt: string;
}

export const cardTransactionWorkflowType = 'cardTransactionWorkflow';
export const cardTransactionEventSignalName = 'cardTransactionEvent';

/** One workflow per provider transaction: every event of a transaction meets the same workflow. */
export function cardTransactionWorkflowId(providerTransactionId: string): string {
  return `card-txn-${providerTransactionId}`;
}

export interface CardTransactionWorkflowInput {
  readonly providerTransactionId: string;
  readonly cardToken: string;
}

export const cardIssueWorkflowType = 'cardIssueWorkflow';
export const cardLoadWorkflowType = 'cardLoadWorkflow';
export const depositReviewSignalName = 'depositReview';

export function cardIssueWorkflowId(cardId: string): string {
  return `card-issue-${cardId}`;
}

export function cardLoadWorkflowId(loadId: string): string {
  return `card-load-${loadId}`;
}
