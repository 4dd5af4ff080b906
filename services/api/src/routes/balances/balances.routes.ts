import { createRoute, z } from '@hono/zod-openapi';
import { cardStates } from '../../lib/card-state.ts';
import { moneySchema, problems } from '../../lib/schemas.ts';

const accountBalanceShape = {
  posted: moneySchema.openapi({ description: 'Moved for good: credits posted − debits posted' }),
  pending: moneySchema.openapi({
    description:
      'What open pending transfers will change it by once settled (negative for holds and loads in progress, positive for a deposit held for review)',
  }),
  available: moneySchema.openapi({ description: 'What can be spent now: posted − pending debits' }),
};

export const balancesSchema = z
  .object({
    wallet: z.object(accountBalanceShape).openapi({ description: 'The USDT wallet' }),
    cards: z
      .array(
        z.object({
          cardId: z.string().openapi({ example: 'crd_k3fq2m7xw4abcdef' }),
          state: z.enum(cardStates).openapi({ description: 'As GET /v1/cards/{id} names it' }),
          autoLoad: z.boolean().openapi({ description: 'Deposits continue into this card' }),
          ...accountBalanceShape,
        }),
      )
      .openapi({ description: 'Each issued card, in USD' }),
  })
  .openapi('Balances');

export const getBalances = createRoute({
  method: 'get',
  path: '/balances',
  tags: ['User'],
  summary: 'The USDT wallet and each card: posted, pending and available, from the ledger',
  security: [{ telegramInitData: [] }],
  responses: {
    200: { description: 'The balances', content: { 'application/json': { schema: balancesSchema } } },
    ...problems(401, 429),
  },
});
