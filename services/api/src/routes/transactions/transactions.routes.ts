import { createRoute, z } from '@hono/zod-openapi';
import { pageQueryOf } from '../../lib/cursor.ts';
import { moneySchema, problems } from '../../lib/schemas.ts';
import { referenceTypes, statementKinds } from './statement-line.ts';
import { decodeStatementCursor } from './transactions.cursor.ts';

export const statementLineSchema = z
  .object({
    id: z.string().openapi({ description: 'The ledger transfer id' }),
    kind: z.enum(statementKinds),
    status: z.enum(['posted', 'pending']).openapi({
      description:
        'posted: money moved; pending: reserved or announced, not moved yet (voided ones are not shown)',
    }),
    amount: moneySchema.openapi({ description: 'Signed from the user’s side: negative is money out' }),
    account: z.object({
      type: z.enum(['wallet', 'card']),
      cardId: z.string().nullable(),
    }),
    reference: z.object({
      type: z.enum(referenceTypes),
      id: z
        .string()
        .openapi({ description: 'The deposit (<txId>:<logIndex>), card, load or card transaction' }),
    }),
    time: z.string().openapi({ description: 'When it happened (ISO 8601)' }),
    postedAt: z
      .string()
      .nullable()
      .openapi({ description: 'When a reserved amount was posted, if it was later' }),
    description: z.string().openapi({ description: "In the user's language" }),
  })
  .openapi('StatementLine');

export const statementPageSchema = z
  .object({ items: z.array(statementLineSchema), nextCursor: z.string().nullable() })
  .openapi('StatementPage');

export const listTransactions = createRoute({
  method: 'get',
  path: '/transactions',
  tags: ['User'],
  summary: "The user's statement across the wallet and every card, newest first",
  security: [{ telegramInitData: [] }],
  request: { query: pageQueryOf(decodeStatementCursor) },
  responses: {
    200: {
      description: 'A page of the statement',
      content: { 'application/json': { schema: statementPageSchema } },
    },
    ...problems(401, 422, 429),
  },
});
