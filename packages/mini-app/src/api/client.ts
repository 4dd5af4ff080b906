// The Mini App's one way to the user API. Every call carries `Authorization: tma <initDataRaw>` (Telegram's signed
// launch data, checked by the API) and the user's language; writes that create or move money carry an
// Idempotency-Key chosen once per user intent, so a retry after a lost answer cannot do the thing twice. Failures
// become an ApiProblem with a kind the screens turn into words. openapi-fetch is typed by ./types.ts.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './types.ts';
import { ApiProblem, networkProblem, problemFromResponse } from './problem.ts';

type Schemas = components['schemas'];
export type Money = Schemas['Money'];
export type Me = Schemas['Me'];
export type Balances = Schemas['Balances'];
export type DepositAddress = Schemas['DepositAddress'];
export type Deposit = Schemas['Deposit'];
export type StatementLine = Schemas['StatementLine'];
export type Card = Schemas['Card'];
export type CardTransaction = Schemas['CardTransaction'];
export type Quote = Schemas['Quote'];
export type Load = Schemas['CardLoad'];
export interface Page<Item> {
  readonly items: Item[];
  readonly nextCursor: string | null;
}

export interface ApiClientOptions {
  /** Origin (and path prefix, if any) of the API; the Mini App is served by the API, so normally its own origin. */
  readonly baseUrl: string;
  readonly initDataRaw: string;
  readonly languageCode: string;
  /** Bound on one request; a slower answer is a network problem the user can retry. */
  readonly requestTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Ten seconds: longer than the API's own request timeouts, short enough that a dead network is named quickly. */
const requestTimeoutMsDefault = 10_000;
const pageLimit = 20;

export function authorizationHeader(initDataRaw: string): string {
  return `tma ${initDataRaw}`;
}

export function createApiClient(options: ApiClientOptions) {
  const timeoutMs = options.requestTimeoutMs ?? requestTimeoutMsDefault;
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: async (request: Request) => {
      try {
        return await baseFetch(request, { signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw networkProblem(error);
      }
    },
  });
  const authorize: Middleware = {
    onRequest({ request }) {
      request.headers.set('Authorization', authorizationHeader(options.initDataRaw));
      request.headers.set('Accept-Language', options.languageCode);
      return request;
    },
  };
  client.use(authorize);

  async function unwrap<Data>(
    call: Promise<{ data?: Data; error?: unknown; response: Response }>,
  ): Promise<Data> {
    let result: { data?: Data; error?: unknown; response: Response };
    try {
      result = await call;
    } catch (error) {
      if (error instanceof ApiProblem) throw error;
      throw networkProblem(error);
    }
    if (!result.response.ok || result.data === undefined) {
      throw problemFromResponse(result.response.status, result.error);
    }
    return result.data;
  }

  const idempotent = (key: string) => ({ 'idempotency-key': key });

  return {
    me: () => unwrap(client.GET('/v1/me')),
    balances: () => unwrap(client.GET('/v1/balances')),
    depositAddress: () => unwrap(client.GET('/v1/deposit-address')),
    deposits: (cursor?: string): Promise<Page<Deposit>> =>
      unwrap(client.GET('/v1/deposits', { params: { query: { cursor, limit: pageLimit } } })),
    statement: (cursor?: string): Promise<Page<StatementLine>> =>
      unwrap(client.GET('/v1/transactions', { params: { query: { cursor, limit: pageLimit } } })),
    /** The first page of cards (newest first): a user has a handful, never a page's worth. */
    cards: async (): Promise<Card[]> => (await unwrap(client.GET('/v1/cards'))).items,
    card: (id: string) => unwrap(client.GET('/v1/cards/{id}', { params: { path: { id } } })),
    issueCard: (idempotencyKey: string) =>
      unwrap(client.POST('/v1/cards', { params: { header: idempotent(idempotencyKey) }, body: {} })),
    freezeCard: (id: string, idempotencyKey: string) =>
      unwrap(
        client.POST('/v1/cards/{id}/freeze', {
          params: { path: { id }, header: idempotent(idempotencyKey) },
        }),
      ),
    unfreezeCard: (id: string, idempotencyKey: string) =>
      unwrap(
        client.POST('/v1/cards/{id}/unfreeze', {
          params: { path: { id }, header: idempotent(idempotencyKey) },
        }),
      ),
    setAutoLoad: (id: string, autoLoad: boolean) =>
      unwrap(client.PATCH('/v1/cards/{id}', { params: { path: { id } }, body: { autoLoad } })),
    cardTransactions: (id: string, cursor?: string): Promise<Page<CardTransaction>> =>
      unwrap(
        client.GET('/v1/cards/{id}/transactions', {
          params: { path: { id }, query: { cursor, limit: pageLimit } },
        }),
      ),
    /** A quote for `amount` USDT (the API takes the decimal string; the asset is the wallet's). */
    quote: (cardId: string, amount: Money) =>
      unwrap(client.POST('/v1/quotes', { body: { cardId, amount: amount.amount } })),
    loadCard: (cardId: string, quoteId: string, idempotencyKey: string) =>
      unwrap(
        client.POST('/v1/cards/{id}/loads', {
          params: { path: { id: cardId }, header: idempotent(idempotencyKey) },
          body: { quoteId },
        }),
      ),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
