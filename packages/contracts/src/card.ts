// The card transaction flow's contract: the normalized card transaction event that travels from the API (webhook)
// through the card_event table to the per-transaction workflow, the workflow's id, input, signal, query and result.
// JSON-safe: amounts are strings of integer minor units (money-codec.ts). The event's TS type is derived from its
// schema, and stored events are parsed with it when read (packages/card-store), never cast.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { z } from 'zod';

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

/** Integer minor units as a decimal string, never negative: how the event carries amounts. */
const minorUnitsText = z.string().regex(/^(0|[1-9][0-9]{0,17})$/, 'must be integer minor units');

/** One provider event about one card transaction, as Cardgate stores it and the workflow receives it. */
export const cardTransactionEventSchema = z.object({
  eventId: z.string().min(1).max(128),
  kind: z.enum(cardTransactionEventKinds),
  /** `APPROVED` or the provider's decline reason; a declined event moves no money. */
  result: z.string().min(1),
  providerTransactionId: z.string().min(1).max(64),
  cardToken: z.string().min(1),
  /** Counts the transaction's events from 1 at the provider: orders events that arrive out of order. */
  sequence: z.number().int().nonnegative(),
  /** Integer minor units of `currency` (the card's currency), as a decimal string. */
  amountMinor: minorUnitsText,
  currency: z.string().min(1),
  merchantAmountMinor: minorUnitsText.nullable(),
  merchantCurrency: z.string().nullable(),
  mcc: z.string().nullable(),
  descriptor: z.string().nullable(),
  /** ISO 8601 time the provider created the event. */
  occurredAt: z.string().min(1),
});

export type CardTransactionEvent = Readonly<z.infer<typeof cardTransactionEventSchema>>;

export const cardTransactionWorkflowType = 'cardTransactionWorkflow';
export const cardTransactionEventSignalName = 'cardTransactionEvent';
export const cardTransactionEventSignal = defineSignal<[CardTransactionEvent]>(
  cardTransactionEventSignalName,
);

/** One workflow per provider transaction: every event of a transaction meets the same workflow. */
export function cardTransactionWorkflowId(providerTransactionId: string): string {
  return `card-txn-${providerTransactionId}`;
}

export interface CardTransactionWorkflowInput {
  readonly providerTransactionId: string;
  readonly cardToken: string;
  /** Replaces the 7/30-day authorization lifetime (development and tests only). */
  readonly holdLifetimeOverrideMs?: number;
  /** How long the workflow waits for more events once nothing is pending. */
  readonly quietPeriodMs?: number;
}

/**
 * What the ledger should hold for one transaction, in USD minor units as decimal strings. The field names are
 * recorded in histories (activity inputs and results), so `holdMinor` keeps its name on the wire: in code it is the
 * transaction's pending debit (the ledger's word).
 */
export interface CardTransactionTargetText {
  readonly holdMinor: string;
  /** Absent in activity inputs recorded before pending credits existed: read as '0'. */
  readonly pendingCreditMinor?: string;
  readonly debitedMinor: string;
  readonly creditedMinor: string;
}

/** What the ledger holds for the transaction after a step: the workflow's result and its state query's answer. */
export interface AppliedCardTransaction extends CardTransactionTargetText {
  readonly version: number;
  readonly expired: boolean;
}

export const cardTransactionStateQueryName = 'cardTransactionState';
export const cardTransactionStateQuery = defineQuery<AppliedCardTransaction | null>(
  cardTransactionStateQueryName,
);

/** The workflow's signature, for callers that start it by type name. */
export type CardTransactionWorkflow = (
  input: CardTransactionWorkflowInput,
) => Promise<AppliedCardTransaction>;
