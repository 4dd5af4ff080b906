// What Cardgate needs from a card provider, independent of any provider's wire format. Amounts are Money.
import type { Money } from '@cardgate/money';
import type { CardTransactionEvent } from '@cardgate/contracts';
import type { WebhookHeaders } from './webhook-signature.ts';

export type CardState = 'OPEN' | 'PAUSED' | 'CLOSED';

export interface CardBalance {
  /** Loads and credits minus posted debits; negative after a force post. */
  readonly settled: Money;
  /** Open authorization holds. */
  readonly pending: Money;
  /** settled − pending. */
  readonly available: Money;
}

export interface ProviderCard {
  readonly token: string;
  readonly type: 'VIRTUAL' | 'PHYSICAL';
  readonly state: CardState;
  readonly lastFour: string;
  readonly balance: CardBalance;
}

export interface ProviderLoad {
  readonly token: string;
  readonly cardToken: string;
  readonly idempotencyKey: string;
  readonly amount: Money;
  readonly createdAt: string;
}

export interface ProviderTransaction {
  readonly token: string;
  readonly cardToken: string;
  readonly status: string;
  readonly amount: Money;
  readonly settledAmount: Money;
  readonly pendingAmount: Money;
  readonly descriptor: string | null;
  readonly mcc: string | null;
}

export interface CardProvider {
  /** Creates a virtual card; the same key returns the same card however often it is repeated. */
  createCard(request: { idempotencyKey: string; memo?: string }): Promise<ProviderCard>;
  getCard(cardToken: string): Promise<ProviderCard>;
  pauseCard(cardToken: string): Promise<ProviderCard>;
  resumeCard(cardToken: string): Promise<ProviderCard>;
  closeCard(cardToken: string): Promise<ProviderCard>;
  /** Loads funds onto a card; the same key never loads twice. */
  loadCard(request: { cardToken: string; amount: Money; idempotencyKey: string }): Promise<ProviderLoad>;
  /** The load made with this key, or null when the provider has none (it did not take effect). */
  findLoad(idempotencyKey: string): Promise<ProviderLoad | null>;
  listTransactions(cardToken: string): Promise<ProviderTransaction[]>;
  /** Verifies a webhook delivery (signature, timestamp tolerance) and parses it into a normalized event. */
  parseWebhook(headers: WebhookHeaders, rawBody: string, nowSeconds: number): CardTransactionEvent;
}

/** One page of a list: the items and whether more follow (ask again with the last item's token). */
export interface ProviderPage<T> {
  readonly items: readonly T[];
  readonly hasMore: boolean;
}

export interface ProviderListRequest {
  /** 1..1000. */
  readonly pageSize: number;
  /** The token of the last item of the previous page. */
  readonly startingAfter?: string;
}

/** A transaction as a list of every card's transactions reports it, with the time of its last event. */
export interface ProviderTransactionListed extends ProviderTransaction {
  readonly lastEventAt: string | null;
}

/** The program's reserve at the provider: funding less what cards spent net (settled), and open holds (pending). */
export interface ProviderProgramBalance {
  readonly total: Money;
  readonly pending: Money;
  readonly available: Money;
  readonly asOf: string;
}

/** The provider's reports: what a reconciliation reads, page by page, to compare with the ledger. */
export interface CardProviderReports {
  listCards(request: ProviderListRequest): Promise<ProviderPage<ProviderCard>>;
  listLoads(request: ProviderListRequest): Promise<ProviderPage<ProviderLoad>>;
  listAllTransactions(request: ProviderListRequest): Promise<ProviderPage<ProviderTransactionListed>>;
  programBalance(): Promise<ProviderProgramBalance>;
}
