// The sandbox's in-memory model: cards, prepaid loads, transactions with their events, balances and idempotency
// records. Pure bookkeeping with bigint amounts; no HTTP and no I/O, so every rule of API.md is testable directly.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { formatAmount } from './money-text.ts';

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

// Bounds: the sandbox lives in memory, so nothing grows without limit.
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

interface IdempotencyRecord {
  readonly bodyHash: string;
  readonly response: unknown;
}

/** Either the stored answer to an earlier identical request, or nothing stored yet under that key. */
export type IdempotencyLookup =
  { readonly kind: 'replay'; readonly response: unknown } | { readonly kind: 'new' };

const token = (prefix: string): string => `${prefix}_${randomBytes(16).toString('hex')}`;

/** JSON with object keys sorted, so two bodies that differ only in key order hash the same. */
function stableJson(value: unknown, depth = 0): string {
  if (depth > 16) throw new Error('request body nests too deeply');
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item, depth + 1)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  return JSON.stringify(value) ?? 'null';
}

export function hashRequest(scope: string, body: unknown): string {
  return createHash('sha256').update(scope).update('\n').update(stableJson(body)).digest('hex');
}

export class SandboxState {
  readonly #now: () => Date;
  readonly #cards = new Map<string, CardRecord>();
  readonly #loads = new Map<string, LoadRecord>();
  readonly #loadsByKey = new Map<string, LoadRecord>();
  readonly #loadsByCard = new Map<string, LoadRecord[]>();
  readonly #transactions = new Map<string, TransactionRecord>();
  readonly #transactionsByCard = new Map<string, TransactionRecord[]>();
  readonly #idempotency = new Map<string, IdempotencyRecord>();

  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  get counts(): { cards: number; loads: number; transactions: number } {
    return { cards: this.#cards.size, loads: this.#loads.size, transactions: this.#transactions.size };
  }

  // --- idempotency -------------------------------------------------------------------------------------------------

  /** Looks `key` up in `scope`; a stored record made with another body is a 409 idempotency_key_reused. */
  checkIdempotency(scope: string, key: string, bodyHash: string): IdempotencyLookup {
    const record = this.#idempotency.get(`${scope} ${key}`);
    if (!record) return { kind: 'new' };
    if (record.bodyHash !== bodyHash)
      throw new SandboxError(
        409,
        'idempotency_key_reused',
        `idempotency key ${key} was used with a different request`,
      );
    return { kind: 'replay', response: record.response };
  }

  rememberIdempotency(scope: string, key: string, bodyHash: string, response: unknown): void {
    if (this.#idempotency.size >= stateLimits.idempotencyRecords)
      throw new SandboxError(422, 'limit_reached', 'too many idempotency records');
    this.#idempotency.set(`${scope} ${key}`, { bodyHash, response });
  }

  // --- cards -------------------------------------------------------------------------------------------------------

  createCard(request: { memo?: string | undefined }): CardRecord {
    if (this.#cards.size >= stateLimits.cards) throw new SandboxError(422, 'limit_reached', 'too many cards');
    const card: CardRecord = {
      token: token('card'),
      type: 'VIRTUAL',
      state: 'OPEN',
      lastFour: randomInt(0, 10_000).toString().padStart(4, '0'),
      created: this.#now().toISOString(),
      memo: request.memo ?? null,
    };
    this.#cards.set(card.token, card);
    this.#transactionsByCard.set(card.token, []);
    this.#loadsByCard.set(card.token, []);
    return card;
  }

  card(cardToken: string): CardRecord {
    const card = this.#cards.get(cardToken);
    if (!card) throw new SandboxError(404, 'card_not_found', `no card ${cardToken}`);
    return card;
  }

  /** CLOSED is final; setting the state a card already has is a no-op. */
  setCardState(cardToken: string, state: CardState): CardRecord {
    const card = this.card(cardToken);
    if (card.state === state) return card;
    if (card.state === 'CLOSED') throw new SandboxError(409, 'card_closed', `card ${cardToken} is closed`);
    card.state = state;
    return card;
  }

  balance(cardToken: string): Balance {
    this.card(cardToken);
    let settled = 0n;
    let pending = 0n;
    for (const load of this.#loadsByCard.get(cardToken) ?? []) settled += load.amount;
    for (const transaction of this.#transactionsByCard.get(cardToken) ?? []) {
      settled += transaction.credited - transaction.debited;
      pending += transaction.hold;
    }
    return { settled, pending, available: settled - pending };
  }

  cardView(cardToken: string): CardView {
    const card = this.card(cardToken);
    const balance = this.balance(cardToken);
    return {
      token: card.token,
      type: card.type,
      state: card.state,
      last_four: card.lastFour,
      created: card.created,
      memo: card.memo,
      balance: {
        currency,
        available_amount: formatAmount(balance.available),
        pending_amount: formatAmount(balance.pending),
        settled_amount: formatAmount(balance.settled),
      },
    };
  }

  // --- loads -------------------------------------------------------------------------------------------------------

  /** Funds a card; a paused card may be loaded, a closed one is a 422. The caller checks idempotency first. */
  load(cardToken: string, amount: bigint, idempotencyKey: string): LoadRecord {
    const card = this.card(cardToken);
    if (card.state === 'CLOSED') throw new SandboxError(422, 'card_closed', `card ${cardToken} is closed`);
    if (amount <= 0n) throw new SandboxError(400, 'invalid_amount', 'a load must be positive');
    if (this.#loadsByKey.has(idempotencyKey))
      throw new SandboxError(409, 'idempotency_key_reused', `a load with key ${idempotencyKey} exists`);
    if (this.#loads.size >= stateLimits.loads) throw new SandboxError(422, 'limit_reached', 'too many loads');
    const load: LoadRecord = {
      token: token('load'),
      cardToken,
      idempotencyKey,
      amount,
      created: this.#now().toISOString(),
    };
    this.#loads.set(load.token, load);
    this.#loadsByKey.set(idempotencyKey, load);
    this.#loadsByCard.get(cardToken)?.push(load);
    return load;
  }

  loadByIdempotencyKey(idempotencyKey: string): LoadRecord {
    const load = this.#loadsByKey.get(idempotencyKey);
    if (!load)
      throw new SandboxError(404, 'load_not_found', `no load with idempotency key ${idempotencyKey}`);
    return load;
  }

  static loadView(load: LoadRecord): LoadView {
    return {
      token: load.token,
      card_token: load.cardToken,
      idempotency_key: load.idempotencyKey,
      amount: formatAmount(load.amount),
      currency,
      status: 'SETTLED',
      created: load.created,
    };
  }

  // --- transactions ------------------------------------------------------------------------------------------------

  transaction(transactionToken: string): TransactionRecord {
    const transaction = this.#transactions.get(transactionToken);
    if (!transaction)
      throw new SandboxError(404, 'transaction_not_found', `no transaction ${transactionToken}`);
    return transaction;
  }

  transactionsOf(cardToken: string): readonly TransactionRecord[] {
    this.card(cardToken);
    return this.#transactionsByCard.get(cardToken) ?? [];
  }

  static status(transaction: TransactionRecord): TransactionStatus {
    if (transaction.result !== 'APPROVED') return 'DECLINED';
    if (transaction.hold > 0n || transaction.pendingCredit > 0n) return 'PENDING';
    if (transaction.debited > 0n || transaction.credited > 0n) return 'SETTLED';
    return transaction.released ?? 'SETTLED';
  }

  static transactionView(transaction: TransactionRecord): TransactionView {
    const sign = transaction.origin === 'RETURN' ? -1n : 1n;
    return {
      token: transaction.token,
      card_token: transaction.cardToken,
      status: SandboxState.status(transaction),
      amount: formatAmount(sign * transaction.authorized),
      settled_amount: formatAmount(transaction.debited - transaction.credited),
      pending_amount: formatAmount(transaction.hold),
      descriptor: transaction.descriptor,
      mcc: transaction.mcc,
      merchant_amount: formatAmount(transaction.merchantAmount),
      merchant_currency: transaction.merchantCurrency,
      created: transaction.created,
      events: [...transaction.events],
    };
  }

  // --- simulate ----------------------------------------------------------------------------------------------------

  /** Approved if the card is OPEN and available ≥ amount: holds `amount`; else declined with no hold. */
  authorize(cardToken: string, amount: bigint, merchant: MerchantDetails): SimulateOutcome {
    positive(amount);
    const result = this.#decision(cardToken, amount);
    const transaction = this.#newTransaction(cardToken, 'AUTHORIZATION', result, amount, merchant);
    if (result === 'APPROVED') transaction.hold = amount;
    return { transaction, event: this.#event(transaction, 'AUTHORIZATION', amount) };
  }

  /** `amount` is the new authorized total; the hold moves by the difference (never below zero), unchecked. */
  authorizationAdvice(transactionToken: string, amount: bigint): SimulateOutcome {
    const transaction = this.#approvedAuthorization(transactionToken);
    const difference = amount - transaction.authorized;
    transaction.authorized = amount;
    transaction.hold = max(0n, transaction.hold + difference);
    if (transaction.hold > 0n) transaction.released = null;
    return { transaction, event: this.#event(transaction, 'AUTHORIZATION_ADVICE', amount) };
  }

  /** Posts a debit of `amount` (default: what is left of the hold); the hold shrinks by min(amount, hold). */
  clearing(transactionToken: string, amount?: bigint): SimulateOutcome {
    const transaction = this.#approvedAuthorization(transactionToken);
    const debit = amount ?? transaction.hold;
    if (debit <= 0n)
      throw new SandboxError(
        409,
        'nothing_to_clear',
        `transaction ${transactionToken} has no hold left; give an amount`,
      );
    transaction.hold -= min(debit, transaction.hold);
    transaction.debited += debit;
    return { transaction, event: this.#event(transaction, 'CLEARING', debit) };
  }

  /** A reversal releases `amount` (default all) of the hold; an expiry releases all that is left. */
  void(
    transactionToken: string,
    type: 'AUTHORIZATION_REVERSAL' | 'AUTHORIZATION_EXPIRY',
    amount?: bigint,
  ): SimulateOutcome {
    const transaction = this.#approvedAuthorization(transactionToken);
    if (transaction.hold === 0n)
      throw new SandboxError(409, 'nothing_to_release', `transaction ${transactionToken} has no open hold`);
    if (amount !== undefined) positive(amount);
    const released =
      type === 'AUTHORIZATION_EXPIRY' ? transaction.hold : min(amount ?? transaction.hold, transaction.hold);
    transaction.hold -= released;
    if (transaction.hold === 0n)
      transaction.released = type === 'AUTHORIZATION_EXPIRY' ? 'EXPIRED' : 'VOIDED';
    return { transaction, event: this.#event(transaction, type, released) };
  }

  /** A new transaction crediting `amount`. */
  return(cardToken: string, amount: bigint, descriptor: string): SimulateOutcome {
    positive(amount);
    this.card(cardToken);
    const transaction = this.#newTransaction(cardToken, 'RETURN', 'APPROVED', amount, { descriptor });
    transaction.credited = amount;
    return { transaction, event: this.#event(transaction, 'RETURN', amount) };
  }

  /** Debits a return's amount, once. */
  returnReversal(transactionToken: string): SimulateOutcome {
    const transaction = this.transaction(transactionToken);
    if (transaction.origin !== 'RETURN')
      throw new SandboxError(409, 'not_a_return', `transaction ${transactionToken} is not a return`);
    if (transaction.debited > 0n)
      throw new SandboxError(409, 'already_reversed', `return ${transactionToken} is already reversed`);
    transaction.debited = transaction.credited;
    return { transaction, event: this.#event(transaction, 'RETURN_REVERSAL', transaction.credited) };
  }

  /** A single-message debit, declined like an authorization; approved, it posts at once. */
  financialAuthorization(cardToken: string, amount: bigint, descriptor: string): SimulateOutcome {
    positive(amount);
    const result = this.#decision(cardToken, amount);
    const transaction = this.#newTransaction(cardToken, 'FINANCIAL_AUTHORIZATION', result, amount, {
      descriptor,
    });
    if (result === 'APPROVED') transaction.debited = amount;
    return { transaction, event: this.#event(transaction, 'FINANCIAL_AUTHORIZATION', amount) };
  }

  /** A clearing with no authorization: always posts, so the balance may go negative. */
  forcePost(cardToken: string, amount: bigint, descriptor: string): SimulateOutcome {
    positive(amount);
    this.card(cardToken);
    const transaction = this.#newTransaction(cardToken, 'FORCE_POST', 'APPROVED', amount, { descriptor });
    transaction.debited = amount;
    return { transaction, event: this.#event(transaction, 'CLEARING', amount) };
  }

  /** A credit announced but not settled (a refund on its way): pending, not spendable, outside the balances. */
  creditAuthorization(cardToken: string, amount: bigint, descriptor: string): SimulateOutcome {
    positive(amount);
    this.card(cardToken);
    const transaction = this.#newTransaction(cardToken, 'CREDIT_AUTHORIZATION', 'APPROVED', amount, {
      descriptor,
    });
    transaction.pendingCredit = amount;
    return { transaction, event: this.#event(transaction, 'CREDIT_AUTHORIZATION', amount) };
  }

  /**
   * Posts a credit: settling (part of) a credit authorization when its token is given, else as a new transaction.
   */
  financialCredit(
    target: { cardToken: string } | { transactionToken: string },
    amount: bigint,
    descriptor: string,
  ): SimulateOutcome {
    positive(amount);
    let transaction: TransactionRecord;
    if ('transactionToken' in target) {
      transaction = this.transaction(target.transactionToken);
      if (transaction.origin !== 'CREDIT_AUTHORIZATION')
        throw new SandboxError(
          409,
          'not_a_credit_authorization',
          `transaction ${target.transactionToken} is not a credit authorization`,
        );
      transaction.pendingCredit -= min(amount, transaction.pendingCredit);
    } else {
      this.card(target.cardToken);
      transaction = this.#newTransaction(target.cardToken, 'FINANCIAL_CREDIT', 'APPROVED', amount, {
        descriptor,
      });
    }
    transaction.credited += amount;
    return { transaction, event: this.#event(transaction, 'FINANCIAL_CREDIT_AUTHORIZATION', amount) };
  }

  /** A correction by the network: a credit or a debit, posted at once, whatever the balance. */
  correction(cardToken: string, amount: bigint, direction: 'CREDIT' | 'DEBIT'): SimulateOutcome {
    positive(amount);
    this.card(cardToken);
    const transaction = this.#newTransaction(cardToken, 'CORRECTION', 'APPROVED', amount, {
      descriptor: `CORRECTION ${direction}`,
    });
    if (direction === 'CREDIT') transaction.credited = amount;
    else transaction.debited = amount;
    return {
      transaction,
      event: this.#event(
        transaction,
        direction === 'CREDIT' ? 'CORRECTION_CREDIT' : 'CORRECTION_DEBIT',
        amount,
      ),
    };
  }

  /** An ATM balance inquiry: an event that moves nothing. */
  balanceInquiry(cardToken: string): SimulateOutcome {
    this.card(cardToken);
    const transaction = this.#newTransaction(cardToken, 'BALANCE_INQUIRY', 'APPROVED', 0n, {
      descriptor: 'BALANCE INQUIRY',
    });
    return { transaction, event: this.#event(transaction, 'BALANCE_INQUIRY', 0n) };
  }

  #decision(cardToken: string, amount: bigint): SimulateResult {
    const card = this.card(cardToken);
    if (card.state === 'CLOSED') return 'CARD_CLOSED';
    if (card.state === 'PAUSED') return 'CARD_PAUSED';
    return this.balance(cardToken).available < amount ? 'INSUFFICIENT_FUNDS' : 'APPROVED';
  }

  #approvedAuthorization(transactionToken: string): TransactionRecord {
    const transaction = this.transaction(transactionToken);
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

  #newTransaction(
    cardToken: string,
    origin: TransactionOrigin,
    result: SimulateResult,
    amount: bigint,
    merchant: MerchantDetails,
  ): TransactionRecord {
    if (this.#transactions.size >= stateLimits.transactions)
      throw new SandboxError(422, 'limit_reached', 'too many transactions');
    const transaction: TransactionRecord = {
      token: token('txn'),
      cardToken,
      origin,
      result,
      authorized: amount,
      hold: 0n,
      debited: 0n,
      credited: 0n,
      pendingCredit: 0n,
      released: null,
      descriptor: merchant.descriptor,
      mcc: merchant.mcc ?? null,
      merchantAmount: merchant.merchantAmount ?? amount,
      merchantCurrency: merchant.merchantCurrency ?? currency,
      created: this.#now().toISOString(),
      events: [],
    };
    this.#transactions.set(transaction.token, transaction);
    this.#transactionsByCard.get(cardToken)?.push(transaction);
    return transaction;
  }

  #event(transaction: TransactionRecord, kind: EventKind, amount: bigint): WebhookEvent {
    if (transaction.events.length >= stateLimits.eventsPerTransaction)
      throw new SandboxError(422, 'limit_reached', 'too many events on this transaction');
    const event: WebhookEvent = {
      event_id: token('evt'),
      event_type: 'card_transaction.updated',
      created: this.#now().toISOString(),
      payload: {
        transaction_token: transaction.token,
        card_token: transaction.cardToken,
        kind,
        result: transaction.result,
        sequence: transaction.events.length + 1,
        amount: formatAmount(amount),
        currency,
        merchant_amount: formatAmount(transaction.merchantAmount),
        merchant_currency: transaction.merchantCurrency,
        mcc: transaction.mcc,
        descriptor: transaction.descriptor,
      },
    };
    transaction.events.push(event);
    return event;
  }
}

function positive(amount: bigint): void {
  if (amount <= 0n) throw new SandboxError(400, 'invalid_amount', 'amount must be positive');
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
