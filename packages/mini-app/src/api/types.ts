// The user API v1 (issue 10) as the Mini App expects it: Money, Problem, Me, Balances, DepositAddress, Deposit and
// StatementLine as main's API defines them; cards, quotes and loads PROVISIONAL (their routes were not on main when
// this was written). All hand-written in the shape openapi-typescript
// generates (`paths` and `components`), so that when the API publishes /openapi.json this file is replaced by
// `npm run generate:api-types -w @cardgate/mini-app` and only src/api/ changes. Amounts are decimal strings with
// their asset ({ amount: "25.5", asset: "USDT" }); a JSON number never stands for money.

type JsonResponse<Body> = { headers: { [name: string]: unknown }; content: { 'application/json': Body } };
type ProblemResponse = {
  headers: { [name: string]: unknown };
  content: { 'application/problem+json': components['schemas']['Problem'] };
};
type Responses<Body> = { 200: JsonResponse<Body>; default: ProblemResponse };
type Created<Body> = { 200: JsonResponse<Body>; 201: JsonResponse<Body>; default: ProblemResponse };
type NoParameters = { query?: never; header?: never; path?: never; cookie?: never };
type CursorQuery = {
  query?: { cursor?: string; limit?: number };
  header?: never;
  path?: never;
  cookie?: never;
};
type CardPath = { query?: never; header?: never; path: { id: string }; cookie?: never };
type IdempotentCardPath = {
  query?: never;
  header: { 'Idempotency-Key': string };
  path: { id: string };
  cookie?: never;
};
type JsonBody<Body> = { content: { 'application/json': Body } };

export interface components {
  schemas: {
    Money: { amount: string; asset: string };
    Problem: {
      type: string;
      title: string;
      status: number;
      code: string;
      reason: string;
      detail?: string;
      details?: { [key: string]: string | number | boolean | null };
      requestId?: string;
    };
    /** As GET /v1/me answers on main (services/api/src/routes/me/me.routes.ts, issue 10's first route). */
    Me: {
      user: {
        id: string;
        telegramUserId: string;
        firstName: string;
        lastName: string | null;
        username: string | null;
        languageCode: string | null;
      };
      limits: {
        perLoad: components['schemas']['Money'];
        perDay: components['schemas']['Money'];
        perMonth: components['schemas']['Money'];
        cardBalanceMax: components['schemas']['Money'];
      };
      prices: {
        depositFeeFixed: components['schemas']['Money'];
        /** 1/100 of a percent, as a string: "100" is 1 %. */
        depositFeeBasisPoints: string;
        depositMinimum: components['schemas']['Money'];
        cardIssueFee: components['schemas']['Money'];
        usdtUsdRate: string;
        fxSpreadBasisPoints: string;
      };
    };
    BalanceParts: {
      posted: components['schemas']['Money'];
      pending: components['schemas']['Money'];
      available: components['schemas']['Money'];
    };
    /** As GET /v1/balances answers on main (services/api/src/routes/balances). */
    Balances: {
      wallet: components['schemas']['BalanceParts'];
      cards: (components['schemas']['BalanceParts'] & {
        cardId: string;
        state: components['schemas']['CardState'];
        autoLoad: boolean;
      })[];
    };
    /** As GET /v1/deposit-address answers on main. */
    DepositAddress: {
      address: string;
      network: 'TRON';
      tokenStandard: 'TRC-20';
      token: { symbol: 'USDT'; contract: string };
      minimumDeposit: components['schemas']['Money'];
      belowMinimum: 'held_for_review';
      /** What to send and the minimum, in the user's language. */
      notice: string;
      /** The address as a QR code, an SVG document. */
      qrCodeSvg: string;
    };
    /** As GET /v1/deposits answers on main. */
    Deposit: {
      id: string;
      txId: string;
      logIndex: number;
      state: 'seen' | 'confirming' | 'final' | 'credited' | 'held_for_review' | 'rejected' | 'orphaned';
      /** While seen or confirming. */
      confirmations: { done: number; needed: number } | null;
      amount: components['schemas']['Money'];
      fee: components['schemas']['Money'] | null;
      net: components['schemas']['Money'] | null;
      from: string;
      blockNumber: string;
      seenAt: string;
      finalAt: string | null;
      creditedAt: string | null;
    };
    DepositPage: { items: components['schemas']['Deposit'][]; nextCursor: string | null };
    /** As GET /v1/transactions answers on main. */
    StatementLine: {
      id: string;
      kind:
        'deposit' | 'deposit_fee' | 'card_issue_fee' | 'card_load' | 'card_payment' | 'card_refund' | 'other';
      status: 'posted' | 'pending';
      /** Signed from the user's side: negative is money out. */
      amount: components['schemas']['Money'];
      account: { type: 'wallet' | 'card'; cardId: string | null };
      reference: {
        type: 'deposit' | 'card_issue' | 'card_load' | 'card_transaction' | 'other';
        id: string;
      };
      time: string;
      postedAt: string | null;
      /** In the user's language. */
      description: string;
    };
    StatementPage: { items: components['schemas']['StatementLine'][]; nextCursor: string | null };
    /** The card's state as GET /v1/balances names it (the provider's OPEN/PAUSED/CLOSED, and Cardgate's own). */
    CardState: 'issuing' | 'OPEN' | 'PAUSED' | 'CLOSED' | 'failed';
    /** PROVISIONAL (the card routes are not on main yet). */
    Card: {
      id: string;
      state: components['schemas']['CardState'];
      last4?: string | null;
      autoLoad: boolean;
      balance: components['schemas']['BalanceParts'];
      createdAt: string;
    };
    CardList: { items: components['schemas']['Card'][] };
    CardTransaction: {
      id: string;
      at: string;
      kind: 'authorization' | 'clearing' | 'decline' | 'refund' | 'reversal' | 'other';
      merchant: string;
      amount: components['schemas']['Money'];
      state: 'pending' | 'posted' | 'declined' | 'released';
    };
    CardTransactionPage: { items: components['schemas']['CardTransaction'][]; nextCursor: string | null };
    QuoteRequest: { cardId: string; amount: components['schemas']['Money'] };
    Quote: {
      id: string;
      cardId: string;
      amount: components['schemas']['Money'];
      /** USD per USDT, a decimal string. */
      rate: string;
      spread: components['schemas']['Money'];
      fee: components['schemas']['Money'];
      received: components['schemas']['Money'];
      expiresAt: string;
    };
    LoadRequest: { quoteId: string };
    Load: {
      id: string;
      cardId: string;
      quoteId: string;
      state: 'pending' | 'loaded' | 'failed';
      received: components['schemas']['Money'];
    };
    AutoLoadPatch: { autoLoad: boolean };
  };
}

export interface paths {
  '/v1/me': {
    parameters: NoParameters;
    get: { parameters: NoParameters; responses: Responses<components['schemas']['Me']> };
  };
  '/v1/balances': {
    parameters: NoParameters;
    get: { parameters: NoParameters; responses: Responses<components['schemas']['Balances']> };
  };
  '/v1/deposit-address': {
    parameters: NoParameters;
    get: { parameters: NoParameters; responses: Responses<components['schemas']['DepositAddress']> };
  };
  '/v1/deposits': {
    parameters: NoParameters;
    get: { parameters: CursorQuery; responses: Responses<components['schemas']['DepositPage']> };
  };
  '/v1/transactions': {
    parameters: NoParameters;
    get: { parameters: CursorQuery; responses: Responses<components['schemas']['StatementPage']> };
  };
  '/v1/cards': {
    parameters: NoParameters;
    get: { parameters: NoParameters; responses: Responses<components['schemas']['CardList']> };
    post: {
      parameters: { query?: never; header: { 'Idempotency-Key': string }; path?: never; cookie?: never };
      requestBody?: JsonBody<Record<string, never>>;
      responses: Created<components['schemas']['Card']>;
    };
  };
  '/v1/cards/{id}': {
    parameters: NoParameters;
    get: { parameters: CardPath; responses: Responses<components['schemas']['Card']> };
    patch: {
      parameters: CardPath;
      requestBody: JsonBody<components['schemas']['AutoLoadPatch']>;
      responses: Responses<components['schemas']['Card']>;
    };
  };
  '/v1/cards/{id}/freeze': {
    parameters: NoParameters;
    post: { parameters: IdempotentCardPath; responses: Responses<components['schemas']['Card']> };
  };
  '/v1/cards/{id}/unfreeze': {
    parameters: NoParameters;
    post: { parameters: IdempotentCardPath; responses: Responses<components['schemas']['Card']> };
  };
  '/v1/cards/{id}/transactions': {
    parameters: NoParameters;
    get: {
      parameters: {
        query?: { cursor?: string; limit?: number };
        header?: never;
        path: { id: string };
        cookie?: never;
      };
      responses: Responses<components['schemas']['CardTransactionPage']>;
    };
  };
  '/v1/quotes': {
    parameters: NoParameters;
    post: {
      parameters: NoParameters;
      requestBody: JsonBody<components['schemas']['QuoteRequest']>;
      responses: Created<components['schemas']['Quote']>;
    };
  };
  '/v1/cards/{id}/loads': {
    parameters: NoParameters;
    post: {
      parameters: IdempotentCardPath;
      requestBody: JsonBody<components['schemas']['LoadRequest']>;
      responses: Created<components['schemas']['Load']>;
    };
  };
}
