import { createRoute, z } from '@hono/zod-openapi';
import { moneySchema, problems } from '../../lib/schemas.ts';

export const meSchema = z
  .object({
    user: z.object({
      id: z.string().openapi({ example: 'usr_k3fq2m7xw4abcdef' }),
      telegramUserId: z.string().openapi({ description: "Telegram's user id, as a string" }),
      firstName: z.string(),
      lastName: z.string().nullable(),
      username: z.string().nullable(),
      languageCode: z.string().nullable(),
    }),
    limits: z.object({
      perLoad: moneySchema,
      perDay: moneySchema,
      perMonth: moneySchema,
      cardBalanceMax: moneySchema,
    }),
    prices: z.object({
      depositFeeFixed: moneySchema,
      depositFeeBasisPoints: z
        .string()
        .openapi({ example: '100', description: '1/100 of a percent, as a string' }),
      depositMinimum: moneySchema.openapi({ description: 'Deposits below it are held for review' }),
      cardIssueFee: moneySchema,
      usdtUsdRate: z.string().openapi({ example: '0.9995' }),
      fxSpreadBasisPoints: z.string().openapi({ example: '150' }),
    }),
  })
  .openapi('Me');

export const getMe = createRoute({
  method: 'get',
  path: '/me',
  tags: ['User'],
  summary: 'The signed-in user, their limits and the current prices',
  security: [{ telegramInitData: [] }],
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: meSchema } } },
    ...problems(401, 429),
  },
});
