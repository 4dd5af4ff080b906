// The sandbox's books: cards, prepaid loads, transactions and their events, in memory. Pure state changes with no
// I/O, so every rule of API.md is testable directly. Amounts are bigint minor units of USD; never JavaScript numbers.
import { randomBytes } from 'node:crypto';

export type CardState = 'OPEN' | 'PAUSED' | 'CLOSED';
export type EventKind =
  | 'AUTHORIZATION'
  | 'AUTHORIZATION_ADVICE'
  | 'AUTHORIZATION_REVERSAL'
  | 'AUTHORIZATION_EXPIRY'
  | 'CLEARING'
  | 'FINANCIAL_AUTHORIZATION'
  | 'RETURN'
  | 'RETURN_REVERSAL';
export type TransactionStatus = 'PENDING' | 'SETTLED' | 'DECLINED' | 'VOIDED' | 'EXPIRED';

export interface SandboxCard {
  readonly token: string;
  readonly type: 'VIRTUAL';
  state: CardState;
  readonly lastFour: string;
  readonly memo: string | null;
  readonly created: string;
  loadedMinor: bigint;
  creditedMinor: bigint;
  debitedMinor: bigint;
  pendingMinor: bigint;
}

export interface SandboxLoad {
  readonly token: string;
  readonly cardToken: string;
  readonly idempotencyKey: string;
  readonly amountMinor: bigint;
  readonly created: string;
}

export interface SandboxEvent {
  readonly eventId: string;
  readonly kind: EventKind;
  readonly result: string;
  readonly sequence: number;
  readonly amountMinor: bigint;
  readonly created: string;
}

export interface SandboxTransaction {
  readonly token: string;
  readonly cardToken: string;
  readonly descriptor: string;
  readonly mcc: string | null;
  readonly merchantAmountMinor: bigint | null;
  readonly merchantCurrency: string | null;
  readonly created: string;
  status: TransactionStatus;
  authorizedMinor: bigint;
  holdMinor: bigint;
  settledMinor: bigint;
  readonly events: SandboxEvent[];
}

export class SandboxRefusal extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'SandboxRefusal';
    this.status = status;
    this.code = code;
  }
}

export interface BalanceView {
  readonly settledMinor: bigint;
  readonly pendingMinor: bigint;
  readonly availableMinor: bigint;
}

export interface Merchant {
  readonly descriptor: string;
  readonly mcc?: string | null;
  readonly merchantAmountMinor?: bigint | null;
  readonly merchantCurrency?: string | null;
}

const token = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;
const cardsMax = 100_000;
const transactionsMax = 1_000_000;

export function balanceOf(card: SandboxCard): BalanceView {
  const settled = card.loadedMinor + card.creditedMinor - card.debitedMinor;
  return {
    settledMinor: settled,
    pendingMinor: card.pendingMinor,
    availableMinor: settled - card.pendingMinor,
  };
}

export function createCardBook(options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  const cards = new Map<string, SandboxCard>();
  const loadsByKey = new Map<string, SandboxLoad>();
  const transactions = new Map<string, SandboxTransaction>();

  function card(cardToken: string): SandboxCard {
    const found = cards.get(cardToken);
    if (!found) throw new SandboxRefusal(404, 'card_not_found', `card ${cardToken} does not exist`);
    return found;
  }

  function transaction(transactionToken: string): SandboxTransaction {
    const found = transactions.get(transactionToken);
    if (!found)
      throw new SandboxRefusal(
        404,
        'transaction_not_found',
        `transaction ${transactionToken} does not exist`,
      );
    return found;
  }

  function addEvent(
    txn: SandboxTransaction,
    kind: EventKind,
    amountMinor: bigint,
    result = 'APPROVED',
  ): SandboxEvent {
    const event: SandboxEvent = {
      eventId: token('evt'),
      kind,
      result,
      sequence: txn.events.length + 1,
      amountMinor,
      created: now().toISOString(),
    };
    txn.events.push(event);
    return event;
  }

  function newTransaction(cardToken: string, merchant: Merchant): SandboxTransaction {
    if (transactions.size >= transactionsMax)
      throw new SandboxRefusal(507, 'sandbox_full', 'the sandbox holds too many transactions');
    const txn: SandboxTransaction = {
      token: token('txn'),
      cardToken,
      descriptor: merchant.descriptor,
      mcc: merchant.mcc ?? null,
      merchantAmountMinor: merchant.merchantAmountMinor ?? null,
      merchantCurrency: merchant.merchantCurrency ?? null,
      created: now().toISOString(),
      status: 'PENDING',
      authorizedMinor: 0n,
      holdMinor: 0n,
      settledMinor: 0n,
      events: [],
    };
    transactions.set(txn.token, txn);
    return txn;
  }

  /** Changes a transaction's hold and the card's pending total together. */
  function setHold(txn: SandboxTransaction, holdMinor: bigint): void {
    const owner = card(txn.cardToken);
    owner.pendingMinor += holdMinor - txn.holdMinor;
    txn.holdMinor = holdMinor;
  }

  function declineReason(owner: SandboxCard, amountMinor: bigint): string | null {
    if (owner.state === 'CLOSED') return 'CARD_CLOSED';
    if (owner.state === 'PAUSED') return 'CARD_PAUSED';
    if (balanceOf(owner).availableMinor < amountMinor) return 'INSUFFICIENT_FUNDS';
    return null;
  }

  return {
    createCard(input: { memo?: string | null }): SandboxCard {
      if (cards.size >= cardsMax)
        throw new SandboxRefusal(507, 'sandbox_full', 'the sandbox holds too many cards');
      const created: SandboxCard = {
        token: token('card'),
        type: 'VIRTUAL',
        state: 'OPEN',
        lastFour: String(1_000 + (randomBytes(2).readUInt16BE() % 9_000)),
        memo: input.memo ?? null,
        created: now().toISOString(),
        loadedMinor: 0n,
        creditedMinor: 0n,
        debitedMinor: 0n,
        pendingMinor: 0n,
      };
      cards.set(created.token, created);
      return created;
    },

    card,

    setState(cardToken: string, state: CardState): SandboxCard {
      const found = card(cardToken);
      if (found.state === state) return found;
      if (found.state === 'CLOSED')
        throw new SandboxRefusal(409, 'card_closed', 'a closed card cannot change');
      found.state = state;
      return found;
    },

    load(cardToken: string, idempotencyKey: string, amountMinor: bigint): SandboxLoad {
      const found = card(cardToken);
      if (found.state === 'CLOSED')
        throw new SandboxRefusal(422, 'card_closed', 'a closed card cannot be loaded');
      const load: SandboxLoad = {
        token: token('load'),
        cardToken,
        idempotencyKey,
        amountMinor,
        created: now().toISOString(),
      };
      found.loadedMinor += amountMinor;
      loadsByKey.set(idempotencyKey, load);
      return load;
    },

    findLoad(idempotencyKey: string): SandboxLoad | undefined {
      return loadsByKey.get(idempotencyKey);
    },

    transactionsOf(cardToken: string): SandboxTransaction[] {
      card(cardToken);
      return [...transactions.values()].filter((txn) => txn.cardToken === cardToken);
    },

    transaction,

    authorize(cardToken: string, amountMinor: bigint, merchant: Merchant) {
      const owner = card(cardToken);
      const txn = newTransaction(cardToken, merchant);
      const decline = declineReason(owner, amountMinor);
      if (decline) {
        txn.status = 'DECLINED';
        return { txn, event: addEvent(txn, 'AUTHORIZATION', amountMinor, decline) };
      }
      txn.authorizedMinor = amountMinor;
      setHold(txn, amountMinor);
      return { txn, event: addEvent(txn, 'AUTHORIZATION', amountMinor) };
    },

    authorizationAdvice(transactionToken: string, newTotalMinor: bigint) {
      const txn = transaction(transactionToken);
      if (txn.status !== 'PENDING')
        throw new SandboxRefusal(
          422,
          'transaction_not_pending',
          `transaction ${transactionToken} is ${txn.status}`,
        );
      const difference = newTotalMinor - txn.authorizedMinor;
      txn.authorizedMinor = newTotalMinor;
      const hold = txn.holdMinor + difference;
      setHold(txn, hold < 0n ? 0n : hold);
      return { txn, event: addEvent(txn, 'AUTHORIZATION_ADVICE', newTotalMinor) };
    },

    clearing(transactionToken: string, amountMinor: bigint | undefined) {
      const txn = transaction(transactionToken);
      if (txn.status === 'DECLINED' || txn.status === 'VOIDED')
        throw new SandboxRefusal(
          422,
          'transaction_not_clearable',
          `transaction ${transactionToken} is ${txn.status}`,
        );
      const amount = amountMinor ?? txn.holdMinor;
      if (amount <= 0n) throw new SandboxRefusal(422, 'nothing_to_clear', 'nothing is left to clear');
      setHold(txn, txn.holdMinor > amount ? txn.holdMinor - amount : 0n);
      txn.settledMinor += amount;
      card(txn.cardToken).debitedMinor += amount;
      txn.status = 'SETTLED';
      return { txn, event: addEvent(txn, 'CLEARING', amount) };
    },

    void(
      transactionToken: string,
      type: 'AUTHORIZATION_REVERSAL' | 'AUTHORIZATION_EXPIRY',
      amountMinor?: bigint,
    ) {
      const txn = transaction(transactionToken);
      if (txn.holdMinor === 0n)
        throw new SandboxRefusal(422, 'nothing_on_hold', 'the transaction holds nothing');
      const released = type === 'AUTHORIZATION_EXPIRY' ? txn.holdMinor : (amountMinor ?? txn.holdMinor);
      if (released > txn.holdMinor)
        throw new SandboxRefusal(422, 'reversal_exceeds_hold', 'cannot release more than is on hold');
      setHold(txn, txn.holdMinor - released);
      if (txn.holdMinor === 0n && txn.settledMinor === 0n)
        txn.status = type === 'AUTHORIZATION_EXPIRY' ? 'EXPIRED' : 'VOIDED';
      return { txn, event: addEvent(txn, type, released) };
    },

    returnCredit(cardToken: string, amountMinor: bigint, merchant: Merchant) {
      const owner = card(cardToken);
      const txn = newTransaction(cardToken, merchant);
      owner.creditedMinor += amountMinor;
      txn.settledMinor = -amountMinor;
      txn.status = 'SETTLED';
      return { txn, event: addEvent(txn, 'RETURN', amountMinor) };
    },

    returnReversal(transactionToken: string) {
      const txn = transaction(transactionToken);
      const credit = txn.events.find((event) => event.kind === 'RETURN');
      if (!credit)
        throw new SandboxRefusal(422, 'not_a_return', `transaction ${transactionToken} is not a return`);
      if (txn.events.some((event) => event.kind === 'RETURN_REVERSAL'))
        throw new SandboxRefusal(422, 'already_reversed', 'the return is already reversed');
      card(txn.cardToken).debitedMinor += credit.amountMinor;
      txn.settledMinor = 0n;
      return { txn, event: addEvent(txn, 'RETURN_REVERSAL', credit.amountMinor) };
    },

    financialAuthorization(cardToken: string, amountMinor: bigint, merchant: Merchant) {
      const owner = card(cardToken);
      const txn = newTransaction(cardToken, merchant);
      const decline = declineReason(owner, amountMinor);
      if (decline) {
        txn.status = 'DECLINED';
        return { txn, event: addEvent(txn, 'FINANCIAL_AUTHORIZATION', amountMinor, decline) };
      }
      owner.debitedMinor += amountMinor;
      txn.settledMinor = amountMinor;
      txn.status = 'SETTLED';
      return { txn, event: addEvent(txn, 'FINANCIAL_AUTHORIZATION', amountMinor) };
    },

    /** A clearing with no authorization: posts whatever the balance, which may go below zero. */
    forcePost(cardToken: string, amountMinor: bigint, merchant: Merchant) {
      const owner = card(cardToken);
      const txn = newTransaction(cardToken, merchant);
      owner.debitedMinor += amountMinor;
      txn.settledMinor = amountMinor;
      txn.status = 'SETTLED';
      return { txn, event: addEvent(txn, 'CLEARING', amountMinor) };
    },

    summary() {
      return { cards: cards.size, loads: loadsByKey.size, transactions: transactions.size };
    },
  };
}

export type CardBook = ReturnType<typeof createCardBook>;
