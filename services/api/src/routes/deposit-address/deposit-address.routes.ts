import { createRoute, z } from '@hono/zod-openapi';
import { moneySchema, problems } from '../../lib/schemas.ts';

export const depositAddressSchema = z
  .object({
    address: z
      .string()
      .openapi({ example: 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE', description: 'Base58, the same forever' }),
    network: z.literal('TRON'),
    tokenStandard: z.literal('TRC-20'),
    token: z.object({
      symbol: z.literal('USDT'),
      contract: z.string().openapi({ description: 'Only transfers of this contract are credited' }),
    }),
    minimumDeposit: moneySchema.openapi({ description: 'Deposits below it are held for review' }),
    belowMinimum: z
      .literal('held_for_review')
      .openapi({ description: 'What happens to a deposit below the minimum' }),
    notice: z.string().openapi({ description: "What to send and the minimum, in the user's language" }),
    qrCodeSvg: z.string().openapi({ description: 'The address as a QR code, an SVG document' }),
  })
  .openapi('DepositAddress');

export const getDepositAddress = createRoute({
  method: 'get',
  path: '/deposit-address',
  tags: ['User'],
  summary: "The user's TRON deposit address (created on the first call), what it accepts and its QR code",
  security: [{ telegramInitData: [] }],
  responses: {
    200: {
      description: 'The deposit address',
      content: { 'application/json': { schema: depositAddressSchema } },
    },
    ...problems(401, 429),
  },
});
