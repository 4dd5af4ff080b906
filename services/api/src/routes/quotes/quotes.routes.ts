import { createRoute, z } from '@hono/zod-openapi';
import { amountInput, moneySchema, problems } from '../../lib/schemas.ts';

export const quoteSchema = z
  .object({
    id: z.string().openapi({ example: 'qt_k3fq2m7xw4abcdef' }),
    cardId: z.string(),
    amount: moneySchema.openapi({ description: 'USDT taken from the wallet' }),
    rate: z.string().openapi({ example: '0.9995', description: 'USD per USDT before the spread' }),
    spreadBasisPoints: z.string().openapi({ example: '150' }),
    gross: moneySchema.openapi({ description: 'USD at the rate' }),
    spread: moneySchema.openapi({ description: "Cardgate's FX spread" }),
    fee: moneySchema,
    received: moneySchema.openapi({ description: 'USD the card receives: gross − spread − fee' }),
    quotedAt: z.string(),
    expiresAt: z
      .string()
      .openapi({ description: 'Load with it (POST /v1/cards/{id}/loads) before this time' }),
  })
  .openapi('Quote');

export const createQuote = createRoute({
  method: 'post',
  path: '/quotes',
  tags: ['Cards'],
  summary: 'Quote a card load: a USDT amount to a card, valid for a short time',
  description:
    'A quote over a program limit is 422 (details: limit, remaining); the load checks the limits again when it is made.',
  security: [{ telegramInitData: [] }],
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              cardId: z.string().min(1).max(100).openapi({ example: 'crd_k3fq2m7xw4abcdef' }),
              amount: amountInput(),
            })
            .strict(),
        },
      },
    },
  },
  responses: {
    201: { description: 'The quote', content: { 'application/json': { schema: quoteSchema } } },
    ...problems(401, 404, 409, 422, 429),
  },
});
