// Cards and the prepaid loads that fund them, with the bounds and refusals of API.md.
import { randomInt } from 'node:crypto';
import { newToken } from './tokens.ts';
import { SandboxError, stateLimits, type CardRecord, type CardState, type LoadRecord } from './records.ts';
import type { SandboxStore } from './store.ts';

export class CardBook {
  readonly #store: SandboxStore;
  readonly #now: () => Date;
  readonly #cards = new Map<string, CardRecord>();
  readonly #loads = new Map<string, LoadRecord>();
  readonly #loadsByKey = new Map<string, LoadRecord>();
  readonly #loadsByCard = new Map<string, LoadRecord[]>();

  constructor(store: SandboxStore, now: () => Date) {
    this.#store = store;
    this.#now = now;
  }

  get cardCount(): number {
    return this.#cards.size;
  }

  get loadCount(): number {
    return this.#loads.size;
  }

  createCard(request: { memo?: string | undefined }): CardRecord {
    if (this.#cards.size >= stateLimits.cards) throw new SandboxError(422, 'limit_reached', 'too many cards');
    const card: CardRecord = {
      token: newToken('card'),
      type: 'VIRTUAL',
      state: 'OPEN',
      lastFour: randomInt(0, 10_000).toString().padStart(4, '0'),
      created: this.#now().toISOString(),
      memo: request.memo ?? null,
    };
    this.#addCard(card);
    this.#store.putCard(card);
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
    this.#store.putCard(card);
    return card;
  }

  /** Funds a card; a paused card may be loaded, a closed one is a 422. The caller checks idempotency first. */
  load(cardToken: string, amount: bigint, idempotencyKey: string): LoadRecord {
    const card = this.card(cardToken);
    if (card.state === 'CLOSED') throw new SandboxError(422, 'card_closed', `card ${cardToken} is closed`);
    if (amount <= 0n) throw new SandboxError(400, 'invalid_amount', 'a load must be positive');
    if (this.#loadsByKey.has(idempotencyKey))
      throw new SandboxError(409, 'idempotency_key_reused', `a load with key ${idempotencyKey} exists`);
    if (this.#loads.size >= stateLimits.loads) throw new SandboxError(422, 'limit_reached', 'too many loads');
    const load: LoadRecord = {
      token: newToken('load'),
      cardToken,
      idempotencyKey,
      amount,
      created: this.#now().toISOString(),
    };
    this.#addLoad(load);
    this.#store.putLoad(load);
    return load;
  }

  loadByIdempotencyKey(idempotencyKey: string): LoadRecord {
    const load = this.#loadsByKey.get(idempotencyKey);
    if (!load)
      throw new SandboxError(404, 'load_not_found', `no load with idempotency key ${idempotencyKey}`);
    return load;
  }

  /** Every card, in the order they were made. */
  allCards(): IterableIterator<CardRecord> {
    return this.#cards.values();
  }

  /** Every load, in the order they were made. */
  allLoads(): IterableIterator<LoadRecord> {
    return this.#loads.values();
  }

  loadsOf(cardToken: string): readonly LoadRecord[] {
    return this.#loadsByCard.get(cardToken) ?? [];
  }

  /** Puts back records read from disk, in the order they were made. */
  restore(cards: readonly CardRecord[], loads: readonly LoadRecord[]): void {
    for (const card of cards) this.#addCard({ ...card });
    for (const load of loads) this.#addLoad(load);
  }

  #addCard(card: CardRecord): void {
    this.#cards.set(card.token, card);
    this.#loadsByCard.set(card.token, []);
  }

  #addLoad(load: LoadRecord): void {
    this.#loads.set(load.token, load);
    this.#loadsByKey.set(load.idempotencyKey, load);
    this.#loadsByCard.get(load.cardToken)?.push(load);
  }
}
