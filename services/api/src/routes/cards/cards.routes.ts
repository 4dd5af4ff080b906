import { createRoute, z } from '@hono/zod-openapi';
import { requireIdempotencyKey } from '../../middleware/idempotency/idempotency.ts';
import { cardStates } from '../../lib/card-state.ts';
import {
  idempotencyKeyHeader,
  moneySchema,
  nullableMoney,
  pageQuerySchema,
  problems,
} from '../../lib/schemas.ts';

const security = [{ telegramInitData: [] }];

export const cardSchema = z
  .object({
    id: z.string().openapi({ example: 'crd_k3fq2m7xw4abcdef' }),
    state: z
      .enum(cardStates)
      .openapi({ description: 'issuing until the provider made the card; frozen: paused' }),
    stateChange: z
      .enum(['freezing', 'unfreezing'])
      .nullable()
      .openapi({ description: 'A freeze or unfreeze on its way to the provider' }),
    lastFour: z
      .string()
      .nullable()
      .openapi({ example: '4242', description: 'Known once the card is issued' }),
    autoLoad: z.boolean().openapi({ description: 'Deposits continue into this card' }),
    createdAt: z.string().openapi({ example: '2026-12-03T10:00:00.000000Z' }),
    balance: z.object({
      posted: moneySchema,
      pending: moneySchema.openapi({ description: 'Held by authorizations not yet cleared' }),
      available: moneySchema,
    }),
  })
  .openapi('Card');

export const cardLoadSchema = z
  .object({
    id: z.string().openapi({ example: 'ld_k3fq2m7xw4abcdef' }),
    cardId: z.string(),
    status: z
      .enum(['pending', 'loading', 'loaded', 'failed'])
      .openapi({ description: 'pending: the USDT is held and the card is about to be loaded' }),
    amount: moneySchema.openapi({ description: 'USDT taken from the wallet' }),
    rate: z.string().nullable(),
    gross: nullableMoney(),
    spread: nullableMoney(),
    fee: nullableMoney(),
    received: nullableMoney('USD put on the card'),
  })
  .openapi('CardLoad');

export const cardTransactionSchema = z
  .object({
    eventId: z.string(),
    transactionId: z.string(),
    category: z
      .enum(['authorization', 'release', 'clearing', 'refund', 'refund_reversal', 'decline', 'inquiry'])
      .openapi({ description: 'What the event means for the user' }),
    kind: z.string().openapi({ example: 'AUTHORIZATION', description: "The provider's event kind" }),
    result: z.string().openapi({ example: 'APPROVED', description: 'APPROVED or the decline reason' }),
    amount: moneySchema,
    merchantAmount: nullableMoney(),
    descriptor: z.string().nullable(),
    mcc: z.string().nullable(),
    occurredAt: z.string(),
  })
  .openapi('CardTransaction');

const cardIdParams = z.object({
  id: z
    .string()
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'crd_k3fq2m7xw4abcdef' }),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const issueCard = createRoute({
  method: 'post',
  path: '/cards',
  tags: ['Cards'],
  summary: 'Issue a card (the issue fee in /v1/me is taken from the wallet)',
  description:
    'Answers 202 at once with the card in state `issuing`; the card becomes `open` (or `failed`, fee returned) when the provider answers. GET the card or listen to /v1/events.',
  security,
  middleware: [requireIdempotencyKey] as const,
  request: {
    headers: idempotencyKeyHeader,
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z.object({ autoLoad: z.boolean().default(false) }).strict(),
        },
      },
    },
  },
  responses: {
    202: json(cardSchema, 'The card, issuing'),
    ...problems(400, 401, 409, 422, 429),
  },
});

export const listCards = createRoute({
  method: 'get',
  path: '/cards',
  tags: ['Cards'],
  summary: "The user's cards, newest first",
  security,
  request: { query: pageQuerySchema },
  responses: {
    200: json(z.object({ items: z.array(cardSchema), nextCursor: z.string().nullable() }), 'A page of cards'),
    ...problems(401, 422, 429),
  },
});

export const getCard = createRoute({
  method: 'get',
  path: '/cards/{id}',
  tags: ['Cards'],
  summary:
    'One card: state, last four, auto-load, balance (card numbers and CVV never pass through Cardgate)',
  security,
  request: { params: cardIdParams },
  responses: { 200: json(cardSchema, 'The card'), ...problems(401, 404, 429) },
});

function stateChangeRoute(action: 'freeze' | 'unfreeze') {
  return createRoute({
    method: 'post',
    path: `/cards/{id}/${action}`,
    tags: ['Cards'],
    summary: action === 'freeze' ? 'Freeze (pause) the card at the provider' : 'Unfreeze (resume) the card',
    description: `Answers 202 with the card; \`stateChange\` shows the ${action} until the provider has it.`,
    security,
    middleware: [requireIdempotencyKey] as const,
    request: { params: cardIdParams, headers: idempotencyKeyHeader },
    responses: { 202: json(cardSchema, 'The card'), ...problems(400, 401, 404, 409, 422, 429) },
  });
}

export const freezeCard = stateChangeRoute('freeze');
export const unfreezeCard = stateChangeRoute('unfreeze');

export const updateCard = createRoute({
  method: 'patch',
  path: '/cards/{id}',
  tags: ['Cards'],
  summary: 'Turn auto-load on or off (on for one card turns it off for the others)',
  security,
  request: {
    params: cardIdParams,
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ autoLoad: z.boolean() }).strict() } },
    },
  },
  responses: { 200: json(cardSchema, 'The card'), ...problems(401, 404, 409, 422, 429) },
});

export const listCardTransactions = createRoute({
  method: 'get',
  path: '/cards/{id}/transactions',
  tags: ['Cards'],
  summary: "The card's authorizations, clearings, declines and refunds, newest first",
  security,
  request: { params: cardIdParams, query: pageQuerySchema },
  responses: {
    200: json(
      z.object({ items: z.array(cardTransactionSchema), nextCursor: z.string().nullable() }),
      'A page of card events',
    ),
    ...problems(401, 404, 422, 429),
  },
});

export const loadCard = createRoute({
  method: 'post',
  path: '/cards/{id}/loads',
  tags: ['Cards'],
  summary: 'Load the card with a quote (POST /v1/quotes): books exactly the quoted figures',
  description:
    'Answers 202 with the load once the USDT is held; the card is loaded at the provider next. An expired or used quote is 409; a load over a limit 422 (details: limit, remaining); too little USDT 422 insufficient_funds.',
  security,
  middleware: [requireIdempotencyKey] as const,
  request: {
    params: cardIdParams,
    headers: idempotencyKeyHeader,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ quoteId: z.string().min(1).max(100).openapi({ example: 'qt_k3fq2m7xw4abcdef' }) })
            .strict(),
        },
      },
    },
  },
  responses: { 202: json(cardLoadSchema, 'The load'), ...problems(400, 401, 404, 409, 422, 429) },
});
