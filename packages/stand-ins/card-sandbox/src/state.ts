// The sandbox's model, assembled: cards and loads (state/card-book.ts), transactions and their events
// (state/transaction-book.ts), the simulate operations (state/simulate.ts), idempotency records and the views the API
// answers with. Pure bookkeeping with bigint amounts and no HTTP; every change goes to the store it was given (memory,
// or disk so a restart resumes it).
import { CardBook } from './state/card-book.ts';
import { IdempotencyRecords, type IdempotencyLookup } from './state/idempotency.ts';
import type {
  Balance,
  CardRecord,
  CardState,
  CardView,
  LoadRecord,
  LoadView,
  MerchantDetails,
  SimulateOutcome,
  TransactionRecord,
  TransactionStatus,
  TransactionView,
} from './state/records.ts';
import { SandboxError } from './state/records.ts';
import * as simulate from './state/simulate.ts';
import { memoryStore, type SandboxStore, type SavedSandbox } from './state/store.ts';
import { TransactionBook } from './state/transaction-book.ts';
import { cardView, loadView, transactionStatus, transactionView } from './state/views.ts';

export * from './state/records.ts';
export { hashRequest, type IdempotencyLookup } from './state/idempotency.ts';
export type { SandboxStore, SavedSandbox } from './state/store.ts';

export interface ListPage {
  readonly pageSize: number;
  readonly startingAfter: string | undefined;
}

/** Bound on a list page, as Lithic's page_size. */
export const listPageSizeMax = 1_000;

/** Walks records in the order made; the token of the last one a client saw is where its next page starts. */
function pageOf<T extends { readonly token: string }>(
  records: IterableIterator<T>,
  page: ListPage,
): { items: T[]; hasMore: boolean } {
  const items: T[] = [];
  let started = page.startingAfter === undefined;
  for (const record of records) {
    if (!started) {
      started = record.token === page.startingAfter;
      continue;
    }
    if (items.length === page.pageSize) return { items, hasMore: true };
    items.push(record);
  }
  if (!started)
    throw new SandboxError(400, 'invalid_request', `starting_after ${page.startingAfter} is unknown`);
  return { items, hasMore: false };
}

export class SandboxState {
  readonly #store: SandboxStore;
  readonly #cards: CardBook;
  readonly #transactions: TransactionBook;
  readonly #idempotency = new IdempotencyRecords();
  readonly #books: simulate.SimulateBooks;

  constructor(now: () => Date = () => new Date(), store: SandboxStore = memoryStore(), saved?: SavedSandbox) {
    this.#store = store;
    this.#cards = new CardBook(store, now);
    this.#transactions = new TransactionBook(store, now);
    this.#books = {
      cards: this.#cards,
      transactions: this.#transactions,
      available: (cardToken) => this.balance(cardToken).available,
    };
    if (saved) {
      this.#cards.restore(saved.cards, saved.loads);
      this.#transactions.restore(saved.transactions);
      for (const { fullKey, record } of saved.idempotency) this.#idempotency.restore(fullKey, record);
    }
  }

  get counts(): { cards: number; loads: number; transactions: number } {
    return {
      cards: this.#cards.cardCount,
      loads: this.#cards.loadCount,
      transactions: this.#transactions.count,
    };
  }

  /** Runs `work` so that every change it makes is saved together, before the caller answers anyone. */
  transact<T>(work: () => T): T {
    return this.#store.transact(work);
  }

  /** Runs a simulate operation and keeps its event for delivery, saved with the change. */
  simulate(operation: (books: simulate.SimulateBooks) => SimulateOutcome): SimulateOutcome {
    return this.#store.transact(() => {
      const outcome = operation(this.#books);
      this.#store.enqueueWebhook(outcome.event);
      return outcome;
    });
  }

  // --- idempotency -------------------------------------------------------------------------------------------------

  /** Looks `key` up in `scope`; a stored record made with another body is a 409 idempotency_key_reused. */
  checkIdempotency(scope: string, key: string, bodyHash: string): IdempotencyLookup {
    return this.#idempotency.check(scope, key, bodyHash);
  }

  rememberIdempotency(scope: string, key: string, bodyHash: string, response: unknown): void {
    const record = { bodyHash, response };
    this.#store.putIdempotency(this.#idempotency.remember(scope, key, record), record);
  }

  // --- cards and loads ---------------------------------------------------------------------------------------------

  createCard(request: { memo?: string | undefined }): CardRecord {
    return this.#cards.createCard(request);
  }

  card(cardToken: string): CardRecord {
    return this.#cards.card(cardToken);
  }

  /** CLOSED is final; setting the state a card already has is a no-op. */
  setCardState(cardToken: string, state: CardState): CardRecord {
    return this.#cards.setCardState(cardToken, state);
  }

  balance(cardToken: string): Balance {
    this.#cards.card(cardToken);
    let settled = 0n;
    let pending = 0n;
    for (const load of this.#cards.loadsOf(cardToken)) settled += load.amount;
    for (const transaction of this.#transactions.of(cardToken)) {
      settled += transaction.credited - transaction.debited;
      pending += transaction.hold;
    }
    return { settled, pending, available: settled - pending };
  }

  /** Pages of every card, load or transaction in the order made, after the item `startingAfter` names. */
  listCards(page: ListPage): { items: CardRecord[]; hasMore: boolean } {
    return pageOf(this.#cards.allCards(), page);
  }

  listLoads(page: ListPage): { items: LoadRecord[]; hasMore: boolean } {
    return pageOf(this.#cards.allLoads(), page);
  }

  listTransactions(page: ListPage): { items: TransactionRecord[]; hasMore: boolean } {
    return pageOf(this.#transactions.all(), page);
  }

  /**
   * The program's balance as the provider reports it: what the program was funded with (nothing, in the sandbox)
   * less what its cards spent net: posted debits minus posted credits over every transaction; open holds pending.
   * Loads move money inside the program (onto a card) and do not change it.
   */
  programBalance(): Balance {
    let settled = 0n;
    let pending = 0n;
    for (const transaction of this.#transactions.all()) {
      settled += transaction.credited - transaction.debited;
      pending += transaction.hold;
    }
    return { settled, pending, available: settled - pending };
  }

  cardView(cardToken: string): CardView {
    return cardView(this.#cards.card(cardToken), this.balance(cardToken));
  }

  /** Funds a card; a paused card may be loaded, a closed one is a 422. The caller checks idempotency first. */
  load(cardToken: string, amount: bigint, idempotencyKey: string): LoadRecord {
    return this.#cards.load(cardToken, amount, idempotencyKey);
  }

  loadByIdempotencyKey(idempotencyKey: string): LoadRecord {
    return this.#cards.loadByIdempotencyKey(idempotencyKey);
  }

  static loadView(load: LoadRecord): LoadView {
    return loadView(load);
  }

  // --- transactions ------------------------------------------------------------------------------------------------

  transaction(transactionToken: string): TransactionRecord {
    return this.#transactions.transaction(transactionToken);
  }

  transactionsOf(cardToken: string): readonly TransactionRecord[] {
    this.#cards.card(cardToken);
    return this.#transactions.of(cardToken);
  }

  static status(transaction: TransactionRecord): TransactionStatus {
    return transactionStatus(transaction);
  }

  static transactionView(transaction: TransactionRecord): TransactionView {
    return transactionView(transaction);
  }

  // --- simulate (state/simulate.ts says what each does) ------------------------------------------------------------

  authorize(cardToken: string, amount: bigint, merchant: MerchantDetails): SimulateOutcome {
    return simulate.authorize(this.#books, cardToken, amount, merchant);
  }

  authorizationAdvice(transactionToken: string, amount: bigint): SimulateOutcome {
    return simulate.authorizationAdvice(this.#books, transactionToken, amount);
  }

  clearing(transactionToken: string, amount?: bigint): SimulateOutcome {
    return simulate.clearing(this.#books, transactionToken, amount);
  }

  void(
    transactionToken: string,
    type: 'AUTHORIZATION_REVERSAL' | 'AUTHORIZATION_EXPIRY',
    amount?: bigint,
  ): SimulateOutcome {
    return simulate.voidHold(this.#books, transactionToken, type, amount);
  }

  return(cardToken: string, amount: bigint, descriptor: string): SimulateOutcome {
    return simulate.returnCredit(this.#books, cardToken, amount, descriptor);
  }

  returnReversal(transactionToken: string): SimulateOutcome {
    return simulate.returnReversal(this.#books, transactionToken);
  }

  financialAuthorization(cardToken: string, amount: bigint, descriptor: string): SimulateOutcome {
    return simulate.financialAuthorization(this.#books, cardToken, amount, descriptor);
  }

  forcePost(cardToken: string, amount: bigint, descriptor: string): SimulateOutcome {
    return simulate.forcePost(this.#books, cardToken, amount, descriptor);
  }

  creditAuthorization(cardToken: string, amount: bigint, descriptor: string): SimulateOutcome {
    return simulate.creditAuthorization(this.#books, cardToken, amount, descriptor);
  }

  financialCredit(
    target: { cardToken: string } | { transactionToken: string },
    amount: bigint,
    descriptor: string,
  ): SimulateOutcome {
    return simulate.financialCredit(this.#books, target, amount, descriptor);
  }

  correction(cardToken: string, amount: bigint, direction: 'CREDIT' | 'DEBIT'): SimulateOutcome {
    return simulate.correction(this.#books, cardToken, amount, direction);
  }

  balanceInquiry(cardToken: string): SimulateOutcome {
    return simulate.balanceInquiry(this.#books, cardToken);
  }
}
