// The simulate operations (API.md's table): each checks its input against the card or transaction, changes the
// amounts, and ends with the one event it produced. Pure bookkeeping on bigint amounts.
import {
  SandboxError,
  type SimulateOutcome,
  type SimulateResult,
  type TransactionRecord,
} from './records.ts';
import type { CardBook } from './card-book.ts';
import type { TransactionBook } from './transaction-book.ts';
import type { MerchantDetails } from './records.ts';

export interface SimulateBooks {
  readonly cards: CardBook;
  readonly transactions: TransactionBook;
  /** The card's available balance, after loads, posted amounts and holds. */
  readonly available: (cardToken: string) => bigint;
}

function positive(amount: bigint): void {
  if (amount <= 0n) throw new SandboxError(400, 'invalid_amount', 'amount must be positive');
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

function decision(books: SimulateBooks, cardToken: string, amount: bigint): SimulateResult {
  const card = books.cards.card(cardToken);
  if (card.state === 'CLOSED') return 'CARD_CLOSED';
  if (card.state === 'PAUSED') return 'CARD_PAUSED';
  return books.available(cardToken) < amount ? 'INSUFFICIENT_FUNDS' : 'APPROVED';
}

function approvedAuthorization(books: SimulateBooks, transactionToken: string): TransactionRecord {
  const transaction = books.transactions.transaction(transactionToken);
  if (transaction.origin !== 'AUTHORIZATION')
    throw new SandboxError(
      409,
      'not_an_authorization',
      `transaction ${transactionToken} is not an authorization`,
    );
  if (transaction.result !== 'APPROVED')
    throw new SandboxError(409, 'transaction_declined', `transaction ${transactionToken} was declined`);
  return transaction;
}

/** Approved if the card is OPEN and available ≥ amount: holds `amount`; else declined with no hold. */
export function authorize(
  books: SimulateBooks,
  cardToken: string,
  amount: bigint,
  merchant: MerchantDetails,
): SimulateOutcome {
  positive(amount);
  const result = decision(books, cardToken, amount);
  const transaction = books.transactions.open(cardToken, 'AUTHORIZATION', result, amount, merchant);
  if (result === 'APPROVED') transaction.hold = amount;
  return { transaction, event: books.transactions.event(transaction, 'AUTHORIZATION', amount) };
}

/** `amount` is the new authorized total; the hold moves by the difference (never below zero), unchecked. */
export function authorizationAdvice(
  books: SimulateBooks,
  transactionToken: string,
  amount: bigint,
): SimulateOutcome {
  const transaction = approvedAuthorization(books, transactionToken);
  const difference = amount - transaction.authorized;
  transaction.authorized = amount;
  transaction.hold = max(0n, transaction.hold + difference);
  if (transaction.hold > 0n) transaction.released = null;
  return { transaction, event: books.transactions.event(transaction, 'AUTHORIZATION_ADVICE', amount) };
}

/** Posts a debit of `amount` (default: what is left of the hold); the hold shrinks by min(amount, hold). */
export function clearing(books: SimulateBooks, transactionToken: string, amount?: bigint): SimulateOutcome {
  const transaction = approvedAuthorization(books, transactionToken);
  const debit = amount ?? transaction.hold;
  if (debit <= 0n)
    throw new SandboxError(
      409,
      'nothing_to_clear',
      `transaction ${transactionToken} has no hold left; give an amount`,
    );
  transaction.hold -= min(debit, transaction.hold);
  transaction.debited += debit;
  return { transaction, event: books.transactions.event(transaction, 'CLEARING', debit) };
}

/** A reversal releases `amount` (default all) of the hold; an expiry releases all that is left. */
export function voidHold(
  books: SimulateBooks,
  transactionToken: string,
  type: 'AUTHORIZATION_REVERSAL' | 'AUTHORIZATION_EXPIRY',
  amount?: bigint,
): SimulateOutcome {
  const transaction = approvedAuthorization(books, transactionToken);
  if (transaction.hold === 0n)
    throw new SandboxError(409, 'nothing_to_release', `transaction ${transactionToken} has no open hold`);
  if (amount !== undefined) positive(amount);
  const released =
    type === 'AUTHORIZATION_EXPIRY' ? transaction.hold : min(amount ?? transaction.hold, transaction.hold);
  transaction.hold -= released;
  if (transaction.hold === 0n) transaction.released = type === 'AUTHORIZATION_EXPIRY' ? 'EXPIRED' : 'VOIDED';
  return { transaction, event: books.transactions.event(transaction, type, released) };
}

/** A new transaction crediting `amount`. */
export function returnCredit(
  books: SimulateBooks,
  cardToken: string,
  amount: bigint,
  descriptor: string,
): SimulateOutcome {
  positive(amount);
  books.cards.card(cardToken);
  const transaction = books.transactions.open(cardToken, 'RETURN', 'APPROVED', amount, { descriptor });
  transaction.credited = amount;
  return { transaction, event: books.transactions.event(transaction, 'RETURN', amount) };
}

/** Debits a return's amount, once. */
export function returnReversal(books: SimulateBooks, transactionToken: string): SimulateOutcome {
  const transaction = books.transactions.transaction(transactionToken);
  if (transaction.origin !== 'RETURN')
    throw new SandboxError(409, 'not_a_return', `transaction ${transactionToken} is not a return`);
  if (transaction.debited > 0n)
    throw new SandboxError(409, 'already_reversed', `return ${transactionToken} is already reversed`);
  transaction.debited = transaction.credited;
  return {
    transaction,
    event: books.transactions.event(transaction, 'RETURN_REVERSAL', transaction.credited),
  };
}

/** A single-message debit, declined like an authorization; approved, it posts at once. */
export function financialAuthorization(
  books: SimulateBooks,
  cardToken: string,
  amount: bigint,
  descriptor: string,
): SimulateOutcome {
  positive(amount);
  const result = decision(books, cardToken, amount);
  const transaction = books.transactions.open(cardToken, 'FINANCIAL_AUTHORIZATION', result, amount, {
    descriptor,
  });
  if (result === 'APPROVED') transaction.debited = amount;
  return { transaction, event: books.transactions.event(transaction, 'FINANCIAL_AUTHORIZATION', amount) };
}

/** A clearing with no authorization: always posts, so the balance may go negative. */
export function forcePost(
  books: SimulateBooks,
  cardToken: string,
  amount: bigint,
  descriptor: string,
): SimulateOutcome {
  positive(amount);
  books.cards.card(cardToken);
  const transaction = books.transactions.open(cardToken, 'FORCE_POST', 'APPROVED', amount, { descriptor });
  transaction.debited = amount;
  return { transaction, event: books.transactions.event(transaction, 'CLEARING', amount) };
}

/** A credit announced but not settled (a refund on its way): pending, not spendable, outside the balances. */
export function creditAuthorization(
  books: SimulateBooks,
  cardToken: string,
  amount: bigint,
  descriptor: string,
): SimulateOutcome {
  positive(amount);
  books.cards.card(cardToken);
  const transaction = books.transactions.open(cardToken, 'CREDIT_AUTHORIZATION', 'APPROVED', amount, {
    descriptor,
  });
  transaction.pendingCredit = amount;
  return { transaction, event: books.transactions.event(transaction, 'CREDIT_AUTHORIZATION', amount) };
}

/** Posts a credit: settling (part of) a credit authorization when its token is given, else as a new transaction. */
export function financialCredit(
  books: SimulateBooks,
  target: { cardToken: string } | { transactionToken: string },
  amount: bigint,
  descriptor: string,
): SimulateOutcome {
  positive(amount);
  let transaction: TransactionRecord;
  if ('transactionToken' in target) {
    transaction = books.transactions.transaction(target.transactionToken);
    if (transaction.origin !== 'CREDIT_AUTHORIZATION')
      throw new SandboxError(
        409,
        'not_a_credit_authorization',
        `transaction ${target.transactionToken} is not a credit authorization`,
      );
    transaction.pendingCredit -= min(amount, transaction.pendingCredit);
  } else {
    books.cards.card(target.cardToken);
    transaction = books.transactions.open(target.cardToken, 'FINANCIAL_CREDIT', 'APPROVED', amount, {
      descriptor,
    });
  }
  transaction.credited += amount;
  return {
    transaction,
    event: books.transactions.event(transaction, 'FINANCIAL_CREDIT_AUTHORIZATION', amount),
  };
}

/** A correction by the network: a credit or a debit, posted at once, whatever the balance. */
export function correction(
  books: SimulateBooks,
  cardToken: string,
  amount: bigint,
  direction: 'CREDIT' | 'DEBIT',
): SimulateOutcome {
  positive(amount);
  books.cards.card(cardToken);
  const transaction = books.transactions.open(cardToken, 'CORRECTION', 'APPROVED', amount, {
    descriptor: `CORRECTION ${direction}`,
  });
  if (direction === 'CREDIT') transaction.credited = amount;
  else transaction.debited = amount;
  const kind = direction === 'CREDIT' ? 'CORRECTION_CREDIT' : 'CORRECTION_DEBIT';
  return { transaction, event: books.transactions.event(transaction, kind, amount) };
}

/** An ATM balance inquiry: an event that moves nothing. */
export function balanceInquiry(books: SimulateBooks, cardToken: string): SimulateOutcome {
  books.cards.card(cardToken);
  const transaction = books.transactions.open(cardToken, 'BALANCE_INQUIRY', 'APPROVED', 0n, {
    descriptor: 'BALANCE INQUIRY',
  });
  return { transaction, event: books.transactions.event(transaction, 'BALANCE_INQUIRY', 0n) };
}
