// TEST ONLY. A fixture of the user API for the Mini App's screen-by-screen browser test: one local HTTP server that
// serves the built Mini App at /app/ (as the API does) and answers the /v1 routes the Mini App calls from in-memory
// fixtures in the shapes of the API's /openapi.json (./api/types.ts, generated from it), with the real session check
// (Telegram's initData signature, by @telegram-apps/init-data-node) and server-sent events. It provokes what the real
// stack gives only by chance (a load that fails, 45 statement lines to page through); the journey against the real
// stack is journey.browser.test.ts.
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { validate } from '@telegram-apps/init-data-node';
import {
  add,
  applyBasisPoints,
  compare,
  convert,
  formatMoney,
  parseMoney,
  subtract,
  USD,
  USDT,
  zero,
  type Money,
} from '@cardgate/money';
import type { components } from './api/types.ts';
import { miniAppBasePath, miniAppDistDirectory } from './index.ts';

type Schemas = components['schemas'];

export interface FixtureApiOptions {
  readonly botToken: string;
  readonly distDirectory?: string;
  /** Seconds a session's auth_date stays valid (the API's default is an hour). */
  readonly sessionAgeSecondsMax?: number;
  /** Statement lines to serve, for paging. */
  readonly statementLines?: number;
  /** Seconds a quote stays valid. */
  readonly quoteValiditySeconds?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly idempotencyKey: string | undefined;
}

const json = (money: Money): Schemas['Money'] => ({ amount: formatMoney(money), asset: money.asset.code });
const usdt = (text: string): Money => parseMoney(text, USDT, { allowZero: true });
const usd = (text: string): Money => parseMoney(text, USD, { allowZero: true });

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const qrSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21" shape-rendering="crispEdges"><rect width="21" height="21" fill="#fff"/>' +
  '<path d="M0 0h7v7h-7zM14 0h7v7h-7zM0 14h7v7h-7zM9 9h3v3h-3zM15 15h2v2h-2zM9 1h1v5h-1zM1 9h5v1h-5z" fill="#000"/></svg>';

export class FixtureApi {
  readonly requests: RecordedRequest[] = [];
  wallet = { posted: usdt('0'), pending: usdt('0') };
  readonly cards: Schemas['Card'][] = [];
  readonly cardTransactions = new Map<string, Schemas['CardTransaction'][]>();
  deposits: Schemas['Deposit'][] = [];
  readonly statement: Schemas['StatementLine'][] = [];
  readonly quotes = new Map<string, Schemas['Quote']>();
  readonly loadsByKey = new Map<string, Schemas['CardLoad']>();
  /** The next load fails at the provider (a definite refusal): the Mini App must say nothing was taken. */
  failNextLoad = false;
  private readonly streams = new Set<ServerResponse>();
  private eventNumber = 0;
  private readonly server: Server;
  private readonly options: Required<FixtureApiOptions>;

  constructor(options: FixtureApiOptions) {
    this.options = {
      distDirectory: miniAppDistDirectory,
      sessionAgeSecondsMax: 3_600,
      statementLines: 45,
      quoteValiditySeconds: 30,
      ...options,
    };
    for (let index = 0; index < this.options.statementLines; index += 1) {
      const minute = String(index % 60).padStart(2, '0');
      const deposit = index % 3 === 0;
      this.statement.push({
        id: `trf_${index}`,
        kind: deposit ? 'deposit' : 'card_payment',
        status: 'posted',
        amount: deposit ? { amount: '10.000000', asset: 'USDT' } : { amount: '-3.50', asset: 'USD' },
        account: deposit ? { type: 'wallet', cardId: null } : { type: 'card', cardId: 'crd_1' },
        reference: deposit
          ? { type: 'deposit', id: `tx${index}:0` }
          : { type: 'card_transaction', id: `ctx_${index}` },
        time: `2026-11-28T10:${minute}:00Z`,
        postedAt: null,
        description: deposit ? `Deposit ${index}` : `Card payment ${index}`,
      });
    }
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.problem(response, 500, 'internal', 'internal', String(error));
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const stream of this.streams) stream.end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get available(): Money {
    return subtract(this.wallet.posted, this.wallet.pending);
  }

  /** A deposit seen on the chain, confirming: shown as on its way, with its confirmations. */
  seeDeposit(amount: string, done: number, needed = 19): Schemas['Deposit'] {
    const txId = randomUUID().replaceAll('-', '');
    const deposit: Schemas['Deposit'] = {
      id: `${txId}:0`,
      txId,
      logIndex: 0,
      state: 'confirming',
      confirmations: { done, needed },
      amount: json(usdt(amount)),
      fee: null,
      net: null,
      from: 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf',
      blockNumber: '1000',
      seenAt: new Date().toISOString(),
      finalAt: null,
      creditedAt: null,
    };
    this.deposits = [deposit, ...this.deposits];
    this.publish('deposit.confirmations', { depositId: deposit.id, done, needed });
    return deposit;
  }

  /** Credits a deposit to the wallet and tells every open event stream. */
  creditDeposit(depositId: string, credited: string): void {
    const deposit = this.deposits.find((entry) => entry.id === depositId);
    if (!deposit) throw new Error(`no deposit ${depositId}`);
    deposit.state = 'credited';
    deposit.net = json(usdt(credited));
    deposit.fee = json(subtract(usdt(deposit.amount.amount), usdt(credited)));
    deposit.confirmations = null;
    deposit.finalAt = deposit.creditedAt = new Date().toISOString();
    this.wallet.posted = add(this.wallet.posted, usdt(credited));
    this.publish('deposit.credited', { depositId, net: deposit.net });
  }

  /** A purchase on a card, as the provider's webhook would report it. */
  spend(cardId: string, merchant: string, amount: string): void {
    const card = this.cards.find((entry) => entry.id === cardId);
    if (!card) throw new Error(`no card ${cardId}`);
    const spent = usd(amount);
    const available = subtract(usd(card.balance.available.amount), spent);
    card.balance = { ...card.balance, posted: json(available), available: json(available) };
    const list = this.cardTransactions.get(cardId) ?? [];
    list.unshift({
      eventId: `evt_${list.length + 1}`,
      transactionId: `txn_${list.length + 1}`,
      category: 'clearing',
      kind: 'CLEARING',
      result: 'APPROVED',
      amount: json(spent),
      merchantAmount: null,
      descriptor: merchant,
      mcc: '5814',
      occurredAt: new Date().toISOString(),
    });
    this.cardTransactions.set(cardId, list);
    this.publish('card.transaction', { cardId });
  }

  private publish(type: string, data: unknown): void {
    this.eventNumber += 1;
    const frame = `id: ${this.eventNumber}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of this.streams) stream.write(frame);
  }

  private problem(
    response: ServerResponse,
    status: number,
    code: string,
    reason: string,
    title: string,
  ): void {
    if (response.headersSent) {
      response.end();
      return;
    }
    response.writeHead(status, { 'content-type': 'application/problem+json' });
    response.end(JSON.stringify({ type: 'about:blank', title, status, code, reason }));
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fixture.invalid');
    if (url.pathname === '/app' || url.pathname.startsWith(miniAppBasePath)) {
      this.serveStatic(url.pathname, response);
      return;
    }
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    this.requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      authorization: header('authorization'),
      idempotencyKey: header('idempotency-key'),
    });
    if (!url.pathname.startsWith('/v1/')) {
      this.problem(response, 404, 'not_found', 'route_not_found', 'no such route');
      return;
    }
    const authorization = header('authorization') ?? '';
    if (!authorization.startsWith('tma ')) {
      this.problem(response, 401, 'unauthenticated', 'authorization_missing', 'sign in through Telegram');
      return;
    }
    try {
      validate(authorization.slice('tma '.length), this.options.botToken, {
        expiresIn: this.options.sessionAgeSecondsMax,
      });
    } catch {
      this.problem(
        response,
        401,
        'unauthenticated',
        'init_data_invalid',
        'the Telegram session is not valid',
      );
      return;
    }
    const body = await readJson(request);
    await this.route(request.method ?? 'GET', url, body, header('idempotency-key'), request, response);
  }

  private serveStatic(pathname: string, response: ServerResponse): void {
    const relative = normalize(pathname.slice(miniAppBasePath.length)).replace(/^(\.\.[/\\])+/, '');
    let file = join(this.options.distDirectory, relative);
    if (!existsSync(file) || statSync(file).isDirectory())
      file = join(this.options.distDirectory, 'index.html');
    response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  }

  private async route(
    method: string,
    url: URL,
    body: unknown,
    idempotencyKey: string | undefined,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const path = url.pathname;
    const cardMatch = /^\/v1\/cards\/([^/]+)(?:\/(freeze|unfreeze|transactions|loads))?$/.exec(path);
    const card = cardMatch ? this.cards.find((entry) => entry.id === cardMatch[1]) : undefined;
    if (cardMatch && !card) return this.problem(response, 404, 'not_found', 'card_not_found', 'no such card');
    const needsKey = method === 'POST' && path !== '/v1/quotes';
    if (needsKey && !idempotencyKey)
      return this.problem(
        response,
        400,
        'invalid_input',
        'idempotency_key_missing',
        'Idempotency-Key is required',
      );

    if (method === 'GET' && path === '/v1/events') return this.openStream(request, response);
    if (method === 'GET' && path === '/v1/me') return this.send(response, 200, this.me());
    if (method === 'GET' && path === '/v1/balances') {
      return this.send(response, 200, {
        wallet: {
          posted: json(this.wallet.posted),
          pending: json(this.wallet.pending),
          available: json(this.available),
        },
        cards: this.cards.map((entry) => ({
          cardId: entry.id,
          state: entry.state,
          autoLoad: entry.autoLoad,
          ...entry.balance,
        })),
      } satisfies Schemas['Balances']);
    }
    if (method === 'GET' && path === '/v1/deposit-address') {
      return this.send(response, 200, {
        address: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
        network: 'TRON',
        tokenStandard: 'TRC-20',
        token: { symbol: 'USDT', contract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
        minimumDeposit: { amount: '5.000000', asset: 'USDT' },
        belowMinimum: 'held_for_review',
        notice: 'Send only USDT (TRC-20) on TRON. Minimum 5 USDT.',
        qrCodeSvg: qrSvg,
      } satisfies Schemas['DepositAddress']);
    }
    if (method === 'GET' && path === '/v1/deposits')
      return this.send(response, 200, { items: this.deposits, nextCursor: null });
    if (method === 'GET' && path === '/v1/transactions') return this.page(url, this.statement, response);
    if (method === 'GET' && path === '/v1/cards')
      return this.send(response, 200, { items: this.cards, nextCursor: null });
    if (method === 'POST' && path === '/v1/cards') return this.issueCard(response);
    if (card && method === 'GET' && !cardMatch?.[2]) return this.send(response, 200, card);
    if (card && method === 'PATCH' && !cardMatch?.[2]) {
      const autoLoad = (body as { autoLoad?: unknown } | undefined)?.autoLoad;
      if (typeof autoLoad !== 'boolean')
        return this.problem(
          response,
          422,
          'invalid_input',
          'auto_load_not_boolean',
          'autoLoad must be a boolean',
        );
      card.autoLoad = autoLoad;
      return this.send(response, 200, card);
    }
    if (card && method === 'POST' && (cardMatch?.[2] === 'freeze' || cardMatch?.[2] === 'unfreeze')) {
      card.state = cardMatch[2] === 'freeze' ? 'frozen' : 'open';
      return this.send(response, 202, card);
    }
    if (card && method === 'GET' && cardMatch?.[2] === 'transactions')
      return this.page(url, this.cardTransactions.get(card.id) ?? [], response);
    if (method === 'POST' && path === '/v1/quotes') return this.quote(body, response);
    if (card && method === 'POST' && cardMatch?.[2] === 'loads')
      return this.load(card, body, idempotencyKey!, response);
    return this.problem(response, 404, 'not_found', 'route_not_found', 'no such route');
  }

  private me(): Schemas['Me'] {
    return {
      user: {
        id: 'usr_fixture',
        telegramUserId: '1',
        firstName: 'Alice',
        lastName: null,
        username: 'alice',
        languageCode: 'en',
      },
      limits: {
        perLoad: { amount: '150.00', asset: 'USD' },
        perDay: { amount: '150.00', asset: 'USD' },
        perMonth: { amount: '150.00', asset: 'USD' },
        cardBalanceMax: { amount: '150.00', asset: 'USD' },
        remaining: {
          perLoad: { amount: '150.00', asset: 'USD' },
          perDay: { amount: '150.00', asset: 'USD' },
          perMonth: { amount: '150.00', asset: 'USD' },
        },
      },
      prices: {
        depositFeeFixed: { amount: '0.500000', asset: 'USDT' },
        depositFeeBasisPoints: '100',
        depositMinimum: { amount: '5.000000', asset: 'USDT' },
        cardIssueFee: { amount: '2.000000', asset: 'USDT' },
        usdtUsdRate: '0.9995',
        fxSpreadBasisPoints: '150',
      },
    };
  }

  private page<Item>(url: URL, items: readonly Item[], response: ServerResponse): void {
    const start = Number.parseInt(url.searchParams.get('cursor') ?? '0', 10) || 0;
    const limit = Math.min(Number.parseInt(url.searchParams.get('limit') ?? '20', 10) || 20, 100);
    const slice = items.slice(start, start + limit);
    const next = start + limit < items.length ? String(start + limit) : null;
    this.send(response, 200, { items: slice, nextCursor: next });
  }

  private issueCard(response: ServerResponse): void {
    const fee = usdt('2');
    if (compare(this.available, fee) < 0)
      return this.problem(
        response,
        422,
        'rule_violation',
        'insufficient_funds',
        'not enough USDT for the fee',
      );
    this.wallet.posted = subtract(this.wallet.posted, fee);
    const card: Schemas['Card'] = {
      id: `crd_${this.cards.length + 1}`,
      state: 'open',
      stateChange: null,
      lastFour: '4242',
      autoLoad: false,
      balance: { posted: json(zero(USD)), pending: json(zero(USD)), available: json(zero(USD)) },
      createdAt: new Date().toISOString(),
    };
    this.cards.push(card);
    this.send(response, 202, card);
  }

  private quote(body: unknown, response: ServerResponse): void {
    const request = body as { cardId?: unknown; amount?: unknown } | undefined;
    let amount: Money;
    try {
      if (typeof request?.amount !== 'string') throw new Error('amount');
      amount = parseMoney(request.amount, USDT);
    } catch {
      return this.problem(
        response,
        422,
        'invalid_input',
        'invalid_amount',
        'amount must be USDT as a decimal string',
      );
    }
    if (!this.cards.some((entry) => entry.id === request.cardId))
      return this.problem(response, 404, 'not_found', 'card_not_found', 'no such card');
    if (compare(this.available, amount) < 0)
      return this.problem(response, 422, 'rule_violation', 'insufficient_funds', 'not enough USDT');
    const gross = convert(amount, USD, '0.9995', 'down').converted;
    const spread = applyBasisPoints(gross, 150n, 'up');
    const quote: Schemas['Quote'] = {
      id: `qte_${this.quotes.size + 1}`,
      cardId: request.cardId as string,
      amount: json(amount),
      rate: '0.9995',
      spreadBasisPoints: '150',
      gross: json(gross),
      spread: json(spread),
      fee: json(zero(USD)),
      received: json(subtract(gross, spread)),
      quotedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + this.options.quoteValiditySeconds * 1_000).toISOString(),
    };
    this.quotes.set(quote.id, quote);
    this.send(response, 201, quote);
  }

  private load(card: Schemas['Card'], body: unknown, key: string, response: ServerResponse): void {
    const replay = this.loadsByKey.get(key);
    if (replay) return this.send(response, 202, replay);
    const quote = this.quotes.get((body as { quoteId?: string } | undefined)?.quoteId ?? '');
    if (!quote || quote.cardId !== card.id)
      return this.problem(response, 404, 'not_found', 'quote_not_found', 'no such quote');
    if (Date.parse(quote.expiresAt) <= Date.now())
      return this.problem(response, 409, 'conflict', 'quote_expired', 'the quote has expired');
    const load: Schemas['CardLoad'] = {
      id: `lod_${this.loadsByKey.size + 1}`,
      cardId: card.id,
      status: this.failNextLoad ? 'failed' : 'loaded',
      amount: quote.amount,
      rate: quote.rate,
      gross: quote.gross,
      spread: quote.spread,
      fee: quote.fee,
      received: quote.received,
    };
    this.loadsByKey.set(key, load);
    if (this.failNextLoad) {
      this.failNextLoad = false;
      return this.send(response, 202, load);
    }
    this.wallet.posted = subtract(this.wallet.posted, usdt(quote.amount.amount));
    const balance = add(usd(card.balance.available.amount), usd(quote.received.amount));
    card.balance = { posted: json(balance), pending: json(zero(USD)), available: json(balance) };
    this.publish('card.loaded', { cardId: card.id, loadId: load.id });
    this.send(response, 202, load);
  }

  private openStream(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    this.streams.add(response);
    request.on('close', () => this.streams.delete(response));
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
