// The card provider over HTTP: the adapter for the Lithic-style API in packages/stand-ins/card-sandbox/API.md. The same code
// talks to the sandbox in development and tests and to the provider in production; only the base URL and keys change.
import { parseMinorUnits, assetByCode, type Money } from '@cardgate/money';
import { z } from 'zod';
import { createHttpClient, type HttpClientOptions } from './http-client.ts';
import { CardProviderError } from './provider-error.ts';
import type {
  CardProvider,
  CardProviderReports,
  ProviderCard,
  ProviderListRequest,
  ProviderLoad,
  ProviderTransaction,
  ProviderTransactionListed,
} from './types.ts';
import { parseWebhook } from './webhook-event.ts';

export interface HttpCardProviderOptions extends HttpClientOptions {
  /** Needed only by the process that receives webhooks (the API). */
  readonly webhookSecret?: string;
}

const minorText = z.string().max(20);
const cardBody = z.object({
  token: z.string().min(1),
  type: z.enum(['VIRTUAL', 'PHYSICAL']),
  state: z.enum(['OPEN', 'PAUSED', 'CLOSED']),
  last_four: z.string(),
  balance: z.object({
    currency: z.string(),
    available_amount: minorText,
    pending_amount: minorText,
    settled_amount: minorText,
  }),
});
const loadBody = z.object({
  token: z.string().min(1),
  card_token: z.string().min(1),
  idempotency_key: z.string().min(1),
  amount: minorText,
  currency: z.string(),
  created: z.string(),
});
const transactionBody = z.object({
  token: z.string(),
  card_token: z.string(),
  status: z.string(),
  amount: minorText,
  settled_amount: minorText,
  pending_amount: minorText,
  descriptor: z.string().nullish(),
  mcc: z.string().nullish(),
});
const transactionsBody = z.object({ data: z.array(transactionBody).max(10_000) });
/** Bound on a list page, as the API's page_size. */
export const providerListPageSizeMax = 1_000;
const listBody = z.object({ data: z.array(z.unknown()).max(providerListPageSizeMax), has_more: z.boolean() });
const listedTransactionBody = transactionBody.extend({
  events: z
    .array(z.object({ created: z.string() }).loose())
    .max(1_000)
    .default([]),
});
const balancesBody = z.object({
  data: z
    .array(
      z.object({
        financial_account_type: z.string(),
        currency: z.string(),
        total_amount: minorText,
        pending_amount: minorText,
        available_amount: minorText,
        as_of: z.string(),
      }),
    )
    .max(16),
});

function decode<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    // The provider answered 2xx with something we cannot read: the write (if any) happened, we just cannot tell how.
    throw new CardProviderError('ambiguous', 'malformed_response', `provider sent a malformed ${what}`, {
      cause: parsed.error,
    });
  return parsed.data;
}

const signed = (text: string, currency: string): Money =>
  parseMinorUnits(text, assetByCode(currency), { allowZero: true, allowNegative: true });

function toCard(body: unknown): ProviderCard {
  const card = decode(cardBody, body, 'card');
  const { currency } = card.balance;
  return {
    token: card.token,
    type: card.type,
    state: card.state,
    lastFour: card.last_four,
    balance: {
      settled: signed(card.balance.settled_amount, currency),
      pending: signed(card.balance.pending_amount, currency),
      available: signed(card.balance.available_amount, currency),
    },
  };
}

function toLoad(body: unknown): ProviderLoad {
  const load = decode(loadBody, body, 'load');
  return {
    token: load.token,
    cardToken: load.card_token,
    idempotencyKey: load.idempotency_key,
    amount: parseMinorUnits(load.amount, assetByCode(load.currency)),
    createdAt: load.created,
  };
}

function toTransaction(transaction: z.infer<typeof transactionBody>): ProviderTransaction {
  return {
    token: transaction.token,
    cardToken: transaction.card_token,
    status: transaction.status,
    amount: signed(transaction.amount, 'USD'),
    settledAmount: signed(transaction.settled_amount, 'USD'),
    pendingAmount: signed(transaction.pending_amount, 'USD'),
    descriptor: transaction.descriptor ?? null,
    mcc: transaction.mcc ?? null,
  };
}

function listQuery(request: ProviderListRequest): string {
  const size = Math.max(1, Math.min(request.pageSize, providerListPageSizeMax));
  const after =
    request.startingAfter === undefined ? '' : `&starting_after=${encodeURIComponent(request.startingAfter)}`;
  return `?page_size=${size}${after}`;
}

export function createHttpCardProvider(options: HttpCardProviderOptions): CardProvider & CardProviderReports {
  const http = createHttpClient(options);
  const path = encodeURIComponent;
  const setState = async (cardToken: string, state: 'OPEN' | 'PAUSED' | 'CLOSED') =>
    toCard(
      await http.send({
        method: 'PATCH',
        path: `/v1/cards/${path(cardToken)}`,
        body: { state },
        repeatable: true,
      }),
    );

  return {
    async createCard({ idempotencyKey, memo }) {
      return toCard(
        await http.send({
          method: 'POST',
          path: '/v1/cards',
          idempotencyKey,
          body: { type: 'VIRTUAL', ...(memo === undefined ? {} : { memo }) },
        }),
      );
    },

    async getCard(cardToken) {
      return toCard(await http.send({ method: 'GET', path: `/v1/cards/${path(cardToken)}` }));
    },

    pauseCard: (cardToken) => setState(cardToken, 'PAUSED'),
    resumeCard: (cardToken) => setState(cardToken, 'OPEN'),
    closeCard: (cardToken) => setState(cardToken, 'CLOSED'),

    async loadCard({ cardToken, amount, idempotencyKey }) {
      if (amount.minor <= 0n)
        throw new CardProviderError('not_retryable', 'invalid_amount', 'a load must be positive', {
          code: 'invalid_input',
        });
      const load = toLoad(
        await http.send({
          method: 'POST',
          path: `/v1/cards/${path(cardToken)}/loads`,
          idempotencyKey,
          body: { amount: amount.minor.toString(), currency: amount.asset.code },
        }),
      );
      if (load.amount.minor !== amount.minor || load.amount.asset !== amount.asset)
        throw new CardProviderError(
          'not_retryable',
          'load_mismatch',
          `load ${idempotencyKey} exists with another amount`,
          {
            code: 'conflict',
          },
        );
      return load;
    },

    async findLoad(idempotencyKey) {
      try {
        return toLoad(
          await http.send({
            method: 'GET',
            path: `/v1/loads?idempotency_key=${encodeURIComponent(idempotencyKey)}`,
          }),
        );
      } catch (error) {
        if (error instanceof CardProviderError && error.reason === 'load_not_found') return null;
        throw error;
      }
    },

    async listTransactions(cardToken) {
      const body = decode(
        transactionsBody,
        await http.send({ method: 'GET', path: `/v1/cards/${path(cardToken)}/transactions` }),
        'transaction list',
      );
      return body.data.map(toTransaction);
    },

    async listCards(request) {
      const body = decode(
        listBody,
        await http.send({ method: 'GET', path: `/v1/cards${listQuery(request)}` }),
        'card list',
      );
      return { items: body.data.map(toCard), hasMore: body.has_more };
    },

    async listLoads(request) {
      const body = decode(
        listBody,
        await http.send({ method: 'GET', path: `/v1/loads${listQuery(request)}` }),
        'load list',
      );
      return { items: body.data.map(toLoad), hasMore: body.has_more };
    },

    async listAllTransactions(request) {
      const body = decode(
        listBody,
        await http.send({ method: 'GET', path: `/v1/transactions${listQuery(request)}` }),
        'transaction list',
      );
      const items = body.data.map((item): ProviderTransactionListed => {
        const transaction = decode(listedTransactionBody, item, 'transaction');
        return { ...toTransaction(transaction), lastEventAt: transaction.events.at(-1)?.created ?? null };
      });
      return { items, hasMore: body.has_more };
    },

    async programBalance() {
      const body = decode(
        balancesBody,
        await http.send({ method: 'GET', path: '/v1/balances' }),
        'balance list',
      );
      const reserve = body.data.find((balance) => balance.financial_account_type === 'RESERVE');
      if (!reserve)
        throw new CardProviderError(
          'not_retryable',
          'malformed_response',
          'the provider reported no program reserve',
          {
            code: 'unavailable',
          },
        );
      return {
        total: signed(reserve.total_amount, reserve.currency),
        pending: signed(reserve.pending_amount, reserve.currency),
        available: signed(reserve.available_amount, reserve.currency),
        asOf: reserve.as_of,
      };
    },

    parseWebhook(headers, rawBody, nowSeconds) {
      const secret = options.webhookSecret;
      if (!secret) throw new Error('this card provider client has no webhook secret');
      return parseWebhook(secret, headers, rawBody, nowSeconds);
    },
  };
}
