// The ledger transfer ids of the deposit and card issue flows, defined once (the worker writes them, the API reads
// them back), and the business object any Cardgate transfer id names: a deposit, a card's issue fee, a card load or a
// card transaction. Ids are idempotency keys stored in the ledger, so their forms never change once written.
import { cardLoadPendingTransferId } from './card-load-plan.ts';
import { cardTransactionTransferNames } from './card-transaction-plan.ts';

/**
 * A deposit's transfers: the credit (posted, or pending while held for review), its fee, and an operator's release
 * (the pending credit posted) or rejection (voided).
 */
export function depositTransferIds(txId: string, logIndex: number) {
  const credit = `deposit:${txId}:${logIndex}`;
  return { credit, fee: `${credit}:fee`, release: `${credit}:release`, reject: `${credit}:reject` } as const;
}

/** A card's issue fee: pending while the card is issued, then posted (`:post`) or voided (`:void`). */
export function cardIssueFeeTransferIds(cardId: string) {
  const pending = `card:${cardId}:fee`;
  return { pending, post: `${pending}:post`, void: `${pending}:void` } as const;
}

export type BusinessReference =
  | { readonly type: 'deposit'; readonly txId: string; readonly logIndex: number }
  | { readonly type: 'card_issue'; readonly cardId: string }
  | { readonly type: 'card_load'; readonly loadId: string }
  | { readonly type: 'card_transaction'; readonly providerTransactionId: string }
  | { readonly type: 'other'; readonly transferId: string };

const depositId = /^deposit:([^:]+):(\d{1,9})(?::(?:fee|release|reject))?$/;
const cardIssueId = /^card:([^:]+):fee(?::(?:post|void))?$/;
const cardLoadPrefix = cardLoadPendingTransferId('');
const cardLoadId = new RegExp(`^${cardLoadPrefix}(.+?)(?::(?:post|usd|spread|void))?$`);
const cardTransactionSuffixes = Object.values(cardTransactionTransferNames)
  .map((name) => name.suffix)
  .join('|');
const cardTransactionId = new RegExp(`^ctx:(.+):\\d+:(?:${cardTransactionSuffixes})$`);

/** What a Cardgate ledger transfer id names; `other` for ids of no flow (test funding, imports). */
export function businessReferenceOf(transferId: string): BusinessReference {
  let match = depositId.exec(transferId);
  if (match) return { type: 'deposit', txId: match[1]!, logIndex: Number(match[2]) };
  match = cardIssueId.exec(transferId);
  if (match) return { type: 'card_issue', cardId: match[1]! };
  match = cardLoadId.exec(transferId);
  if (match) return { type: 'card_load', loadId: match[1]! };
  match = cardTransactionId.exec(transferId);
  if (match) return { type: 'card_transaction', providerTransactionId: match[1]! };
  return { type: 'other', transferId };
}
