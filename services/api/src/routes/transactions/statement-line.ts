// One line of the user's statement as the API answers it, from a ledger line (packages/ledger ownerStatement): what
// kind of movement it is (from the transfer's code), its amount signed from the user's side (a credit to their
// account is money in), which of their accounts, the business object it belongs to (from the transfer id:
// packages/domain businessReferenceOf) and the description key of the catalogue.
import { businessReferenceOf, chart } from '@cardgate/domain';
import type { OwnerStatementLine } from '@cardgate/ledger';
import { assetByCode, moneyFromMinor, type Money } from '@cardgate/money';
import type { StatementTextKey } from './transactions.texts.ts';

export const statementKinds = [
  'deposit',
  'deposit_fee',
  'card_issue_fee',
  'card_load',
  'card_payment',
  'card_refund',
  'other',
] as const;
export type StatementKind = (typeof statementKinds)[number];

export const referenceTypes = ['deposit', 'card_issue', 'card_load', 'card_transaction', 'other'] as const;
export type ReferenceType = (typeof referenceTypes)[number];

/** Ledger transfer codes (stored, so spelt as first written) to the kind of movement the user sees. */
const kindByCode: Readonly<Record<string, StatementKind>> = {
  deposit: 'deposit',
  deposit_review: 'deposit',
  deposit_fee: 'deposit_fee',
  card_issue_fee: 'card_issue_fee',
  card_load: 'card_load',
  card_hold: 'card_payment',
  card_debit: 'card_payment',
  card_pending_credit: 'card_refund',
  card_credit: 'card_refund',
};

/** The form of a card's account code (packages/domain chart.card). */
const cardAccountCode = /^card:(.+):USD$/;

export interface StatementLineView {
  readonly id: string;
  readonly kind: StatementKind;
  readonly status: 'posted' | 'pending';
  readonly amount: Money;
  readonly account: { readonly type: 'wallet' | 'card'; readonly cardId: string | null };
  readonly reference: { readonly type: ReferenceType; readonly id: string };
  readonly time: Date;
  readonly postedAt: Date | null;
  readonly textKey: StatementTextKey;
}

function textKeyOf(kind: StatementKind, incoming: boolean, pending: boolean): StatementTextKey {
  switch (kind) {
    case 'deposit':
      return pending ? 'depositHeld' : 'deposit';
    case 'deposit_fee':
      return 'depositFee';
    case 'card_issue_fee':
      return pending ? 'cardIssueFeePending' : 'cardIssueFee';
    case 'card_load':
      if (incoming) return pending ? 'loadFromWalletPending' : 'loadFromWallet';
      return pending ? 'loadToCardPending' : 'loadToCard';
    case 'card_payment':
      return pending ? 'cardPaymentPending' : 'cardPayment';
    case 'card_refund':
      return pending ? 'cardRefundPending' : 'cardRefund';
    case 'other':
      if (incoming) return pending ? 'otherCreditPending' : 'otherCredit';
      return pending ? 'otherDebitPending' : 'otherDebit';
  }
}

function referenceOf(transferId: string): { type: ReferenceType; id: string } {
  const reference = businessReferenceOf(transferId);
  switch (reference.type) {
    case 'deposit':
      return { type: 'deposit', id: `${reference.txId}:${reference.logIndex}` };
    case 'card_issue':
      return { type: 'card_issue', id: reference.cardId };
    case 'card_load':
      return { type: 'card_load', id: reference.loadId };
    case 'card_transaction':
      return { type: 'card_transaction', id: reference.providerTransactionId };
    case 'other':
      return { type: 'other', id: reference.transferId };
  }
}

export function statementLineOf(line: OwnerStatementLine, userId: string): StatementLineView {
  const incoming = line.side === 'credit';
  const pending = line.status === 'pending';
  const kind = kindByCode[line.transfer.code] ?? 'other';
  const cardId =
    line.accountCode === chart.wallet(userId).code
      ? null
      : (cardAccountCode.exec(line.accountCode)?.[1] ?? null);
  return {
    id: line.transfer.id,
    kind,
    status: line.status,
    amount: moneyFromMinor(incoming ? line.amountMinor : -line.amountMinor, assetByCode(line.transfer.asset)),
    account: { type: cardId === null ? 'wallet' : 'card', cardId },
    reference: referenceOf(line.transfer.id),
    time: line.transfer.createdAt,
    postedAt: line.postedAt,
    textKey: textKeyOf(kind, incoming, pending),
  };
}
