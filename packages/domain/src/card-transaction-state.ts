// The ledger effect of one card transaction, as a function of the set of its events, so the result does not depend on
// the order in which events arrive or on how often one repeats. Deterministic and free of Node built-ins: the
// per-transaction workflow imports it. Amounts are bigint minor units of the card currency (USD).
//
// What each event kind does (an approved event only, where it says "approved"; amounts are the event's):
//   AUTHORIZATION, AUTHORIZATION_ADVICE  approved: sets the authorized total (the latest by sequence counts)
//   AUTHORIZATION_REVERSAL               releases that much of the pending debit
//   AUTHORIZATION_EXPIRY                 releases what is left pending (as the workflow's expiry timer does)
//   CLEARING                             posts a debit and settles that much of the pending debit (a clearing with
//                                        no authorization is a force post: a debit, nothing pending)
//   FINANCIAL_AUTHORIZATION              approved: posts a debit (single message, nothing pending)
//   RETURN, FINANCIAL_CREDIT_AUTHORIZATION, CORRECTION_CREDIT   post a credit
//   RETURN_REVERSAL, CORRECTION_DEBIT    post a debit
//   CREDIT_AUTHORIZATION                 approved: sets the pending credit, settled by the credits posted
//   BALANCE_INQUIRY                      moves nothing
// This table is the reference (it replaces a citation of a document outside the repository); the tests beside this
// file check each row.
import type { CardTransactionEvent } from '@cardgate/contracts';

import { USD, parseMinorUnits } from '@cardgate/money';

export interface CardTransactionTarget {
  /** What the card should have pending (authorized, not yet cleared) for this transaction. */
  readonly pendingDebitMinor: bigint;
  /** A credit announced but not settled (CREDIT_AUTHORIZATION): pending, not spendable. */
  readonly pendingCreditMinor: bigint;
  /** Debits posted to the card for this transaction, in total. */
  readonly debitedMinor: bigint;
  /** Credits posted to the card for this transaction, in total. */
  readonly creditedMinor: bigint;
}

const approved = (event: CardTransactionEvent): boolean => event.result === 'APPROVED';

export function targetOf(
  events: readonly CardTransactionEvent[],
  options: { readonly expired: boolean },
): CardTransactionTarget {
  // The authorized total is set by the authorization and moved by each advice: the latest by sequence counts.
  let authorized = 0n;
  let authorizedSequence = 0;
  let creditAuthorized = 0n;
  let creditAuthorizedSequence = 0;
  let reversed = 0n;
  let cleared = 0n;
  let debited = 0n;
  let credited = 0n;
  let expired = options.expired;
  for (const event of events) {
    const amount = parseMinorUnits(event.amountMinor, USD, { allowZero: true }).minor;
    switch (event.kind) {
      case 'AUTHORIZATION':
      case 'AUTHORIZATION_ADVICE':
        if (approved(event) && event.sequence > authorizedSequence) {
          authorized = amount;
          authorizedSequence = event.sequence;
        }
        break;
      case 'AUTHORIZATION_REVERSAL':
        reversed += amount;
        break;
      case 'AUTHORIZATION_EXPIRY':
        expired = true;
        break;
      case 'CLEARING':
        cleared += amount;
        debited += amount;
        break;
      case 'FINANCIAL_AUTHORIZATION':
        if (approved(event)) debited += amount;
        break;
      case 'RETURN_REVERSAL':
        debited += amount;
        break;
      case 'RETURN':
      case 'FINANCIAL_CREDIT_AUTHORIZATION':
      case 'CORRECTION_CREDIT':
        credited += amount;
        break;
      case 'CORRECTION_DEBIT':
        debited += amount;
        break;
      case 'CREDIT_AUTHORIZATION':
        if (approved(event) && event.sequence > creditAuthorizedSequence) {
          creditAuthorized = amount;
          creditAuthorizedSequence = event.sequence;
        }
        break;
      case 'BALANCE_INQUIRY':
        break;
    }
  }
  const open = authorized - reversed - cleared;
  // A credit authorization settles by the credits posted on its transaction.
  const creditOpen = creditAuthorized - credited;
  return {
    pendingDebitMinor: expired || open < 0n ? 0n : open,
    pendingCreditMinor: expired || creditOpen < 0n ? 0n : creditOpen,
    debitedMinor: debited,
    creditedMinor: credited,
  };
}

/** MCCs whose authorizations stay open 30 days: hotels (3501–3790, 7011), car rental (3351–3441), mail order
 * (5960–5969) and cruises (4411). */
export function authorizationLifetimeDays(mcc: string | null): number {
  if (mcc === null || !/^[0-9]{4}$/.test(mcc)) return 7;
  const code = Number(mcc);
  const long =
    (code >= 3501 && code <= 3790) ||
    code === 7011 ||
    (code >= 3351 && code <= 3441) ||
    (code >= 5960 && code <= 5969) ||
    code === 4411;
  return long ? 30 : 7;
}

/**
 * When what is open on this transaction (a pending debit or a pending credit) expires: its first approved authorization's (or
 * advice's, or credit authorization's) time plus the lifetime.
 */
export function pendingExpiresAtMs(
  events: readonly CardTransactionEvent[],
  lifetimeOverrideMs?: number,
): number | null {
  let first: CardTransactionEvent | undefined;
  for (const event of events)
    if (
      (event.kind === 'AUTHORIZATION' ||
        event.kind === 'AUTHORIZATION_ADVICE' ||
        event.kind === 'CREDIT_AUTHORIZATION') &&
      approved(event) &&
      (!first || event.sequence < first.sequence)
    )
      first = event;
  if (!first) return null;
  return (
    Date.parse(first.occurredAt) + (lifetimeOverrideMs ?? authorizationLifetimeDays(first.mcc) * 86_400_000)
  );
}
