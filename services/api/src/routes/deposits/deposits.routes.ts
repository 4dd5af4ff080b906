import { createRoute, z } from '@hono/zod-openapi';
import { pageQueryOf } from '../../lib/cursor.ts';
import { moneySchema, nullableMoney, problems } from '../../lib/schemas.ts';
import { decodeDepositCursor } from './deposits.cursor.ts';
import { depositStates } from './deposit-state.ts';

export const depositSchema = z
  .object({
    id: z.string().openapi({ description: 'The transaction id and log index: <txId>:<logIndex>' }),
    txId: z.string(),
    logIndex: z.number().int(),
    state: z.enum(depositStates).openapi({
      description:
        'seen (in one block), confirming (later blocks build on it), final (irreversible, being credited), credited, held_for_review (below the minimum: waits for an operator), rejected (by an operator), orphaned (its block left the chain in a reorg; it may be seen again)',
    }),
    confirmations: z
      .object({ done: z.number().int(), needed: z.number().int() })
      .nullable()
      .openapi({ description: 'While seen or confirming' }),
    amount: moneySchema.openapi({ description: 'What arrived on chain (gross)' }),
    fee: nullableMoney('Once credited'),
    net: nullableMoney('What the wallet received, once credited'),
    from: z.string().openapi({ description: 'The sending address (base58)' }),
    blockNumber: z.string().openapi({ description: 'The block it is in, as a decimal string' }),
    seenAt: z.string().openapi({ description: 'When Cardgate first saw it (ISO 8601)' }),
    finalAt: z.string().nullable(),
    creditedAt: z.string().nullable(),
  })
  .openapi('Deposit');

export const depositPageSchema = z
  .object({ items: z.array(depositSchema), nextCursor: z.string().nullable() })
  .openapi('DepositPage');

export const listDeposits = createRoute({
  method: 'get',
  path: '/deposits',
  tags: ['User'],
  summary: "The user's deposits, newest first, with their state and amounts",
  security: [{ telegramInitData: [] }],
  request: { query: pageQueryOf(decodeDepositCursor) },
  responses: {
    200: {
      description: 'A page of deposits',
      content: { 'application/json': { schema: depositPageSchema } },
    },
    ...problems(401, 422, 429),
  },
});
