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
