// The operators' routes under /v1/ops: look-ups and lists (scope read), actions that move money or flows (scope
// operate, with an Idempotency-Key). Path parameters are checked by packages/operations, not here, so a malformed
// one is refused and audited like any other refusal (a 422 naming it).
import { createRoute, z } from '@hono/zod-openapi';
import { idempotencyKeyHeader, moneySchema, problems } from '../../lib/schemas.ts';

const security = [{ operatorToken: [] }];
const tags = ['Operators'];
const idParameter = (name: string, description: string, example: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name, in: 'path' }, description, example });

const balanceSchema = z.object({
  account: z.string().openapi({ example: 'user:usr_k3fq2m7xw4abcdef:wallet:USDT' }),
  posted: moneySchema,
  pending: moneySchema.openapi({
    description: 'What open pending transfers change it by once posted (pending credits − pending debits)',
  }),
  available: moneySchema,
});

const userDetailsSchema = z
  .object({
    user: z.object({
      id: z.string(),
      telegramUserId: z.string(),
      firstName: z.string(),
      lastName: z.string().nullable(),
      username: z.string().nullable(),
      languageCode: z.string().nullable(),
      botBlocked: z.boolean(),
      createdAt: z.string(),
    }),
    balances: z.array(balanceSchema),
    deposits: z.array(
      z.object({
        deposit: z.string().openapi({ description: '<tx id>:<log index>' }),
        amount: moneySchema,
        state: z.enum(['credited', 'held_for_review', 'released', 'rejected', 'expired']),
        at: z.string(),
      }),
    ),
    cards: z.array(z.object({ cardId: z.string(), state: z.string(), providerToken: z.string().nullable() })),
  })
  .openapi('OperatorUserDetails');

export const lookUpUser = createRoute({
  method: 'get',
  path: '/users',
  tags,
  summary: 'Look a user up by Cardgate id, @username or Telegram id: balances, deposits, cards',
  security,
  request: {
    query: z.object({
      query: z
        .string()
        .min(1)
        .max(200)
        .openapi({ example: '@alice', description: 'usr_..., @username or Telegram id' }),
    }),
  },
  responses: {
    200: {
      description: 'The matching users',
      content: { 'application/json': { schema: z.object({ users: z.array(userDetailsSchema) }) } },
    },
    ...problems(401, 403, 404, 422, 429),
  },
});

export const listHeldDeposits = createRoute({
  method: 'get',
  path: '/deposits/held',
  tags,
  summary: 'Deposits held for review (below the review minimum), oldest first',
  security,
  request: {
    query: z.object({
      cursor: z.string().max(40).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: {
      description: 'A page of held deposits',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(
              z.object({
                deposit: z.string().openapi({ description: '<tx id>:<log index>' }),
                userId: z.string(),
                amount: moneySchema,
                heldAt: z.string(),
                workflowId: z.string(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    ...problems(401, 403, 422, 429),
  },
});

const depositDecisionSchema = z
  .object({
    deposit: z.string(),
    workflowId: z.string(),
    decision: z.enum(['approve', 'reject']),
    state: z.string().openapi({ description: "The deposit flow's state after the decision, e.g. credited" }),
  })
  .openapi('DepositDecision');

const decideDeposit = (decision: 'approve' | 'reject') =>
  createRoute({
    method: 'post',
    path: `/deposits/{deposit}/${decision}`,
    tags,
    summary:
      decision === 'approve'
        ? 'Approve a held deposit: the wallet is credited (minus the deposit fee)'
        : 'Reject a held deposit: its pending credit is voided',
    security,
    request: {
      headers: idempotencyKeyHeader,
      params: z.object({
        deposit: idParameter('deposit', '<tx id>:<log index>', `${'ab'.repeat(32)}:0`),
      }),
    },
    responses: {
      200: { description: 'Decided', content: { 'application/json': { schema: depositDecisionSchema } } },
      ...problems(400, 401, 403, 404, 409, 422, 429, 503),
    },
  });
export const approveDeposit = decideDeposit('approve');
export const rejectDeposit = decideDeposit('reject');

export const listWaitingFlows = createRoute({
  method: 'get',
  path: '/flows/waiting',
  tags,
  summary: 'Card loads and card issues waiting for an operator (needs_operator, compensation_failed)',
  security,
  responses: {
    200: {
      description: 'The waiting flows',
      content: {
        'application/json': {
          schema: z.object({
            flows: z.array(
              z.object({
                workflowId: z.string(),
                workflowType: z.string(),
                status: z.enum(['needs_operator', 'compensation_failed']),
                lastError: z.string().nullable(),
                startedAt: z.string(),
                subjectId: z.string().openapi({ description: 'The load id or card id' }),
                action: z
                  .string()
                  .openapi({ description: 'resolveCardLoad, retryCardIssue or retryCompensation' }),
              }),
            ),
            scanned: z.number().int(),
            truncated: z.boolean(),
            unanswered: z.array(z.string()),
          }),
        },
      },
    },
    ...problems(401, 403, 429, 503),
  },
});

const flowActionSchema = z
  .object({
    workflowId: z.string(),
    signal: z.string(),
    status: z.string().openapi({ description: "The flow's status after the signal" }),
  })
  .openapi('FlowAction');

const flowActionResponses = {
  200: { description: 'Signalled', content: { 'application/json': { schema: flowActionSchema } } },
  ...problems(400, 401, 403, 404, 409, 422, 429, 503),
};

export const resolveCardLoad = createRoute({
  method: 'post',
  path: '/card-loads/{loadId}/resolve',
  tags,
  summary: 'Tell a card load waiting in needs_operator what the provider did',
  security,
  request: {
    headers: idempotencyKeyHeader,
    params: z.object({ loadId: idParameter('loadId', 'The load id', 'dep-ab12-0') }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.discriminatedUnion('outcome', [
            z.object({ outcome: z.literal('loaded'), providerLoadToken: z.string().min(1).max(200) }),
            z.object({ outcome: z.literal('not_loaded') }),
          ]),
        },
      },
    },
  },
  responses: flowActionResponses,
});

export const retryCardIssue = createRoute({
  method: 'post',
  path: '/card-issues/{cardId}/retry',
  tags,
  summary: 'Let a card issue waiting in needs_operator try the provider again',
  security,
  request: {
    headers: idempotencyKeyHeader,
    params: z.object({ cardId: idParameter('cardId', 'The card id', 'crd_0123456789abcdef') }),
  },
  responses: flowActionResponses,
});

export const retryCompensation = createRoute({
  method: 'post',
  path: '/flows/{workflowId}/retry-compensation',
  tags,
  summary: 'Let a flow stopped in compensation_failed try its compensation again',
  security,
  request: {
    headers: idempotencyKeyHeader,
    params: z.object({ workflowId: idParameter('workflowId', 'The workflow id', 'card-load-dep-ab12-0') }),
  },
  responses: flowActionResponses,
});

export const verifyLedger = createRoute({
  method: 'get',
  path: '/ledger/verify',
  tags,
  summary: "Check the ledger's invariants from the journal (per-asset balance, stored totals, open holds)",
  security,
  responses: {
    200: {
      description: 'The report (ok false lists every problem found)',
      content: {
        'application/json': {
          schema: z.object({
            ok: z.boolean(),
            problems: z.array(z.string()),
            accountsChecked: z.string(),
            transfersChecked: z.string(),
          }),
        },
      },
    },
    ...problems(401, 403, 429),
  },
});

export const freezeCard = createRoute({
  method: 'post',
  path: '/cards/{cardId}/freeze',
  tags,
  summary: 'Freeze (pause) a card at the provider (503 until the card state workflow is deployed)',
  security,
  request: {
    headers: idempotencyKeyHeader,
    params: z.object({ cardId: idParameter('cardId', 'The card id', 'crd_0123456789abcdef') }),
  },
  responses: {
    200: {
      description: 'Frozen',
      content: {
        'application/json': {
          schema: z.object({
            cardId: z.string(),
            state: z.string(),
            requestedState: z.literal('PAUSED'),
            workflowId: z.string(),
          }),
        },
      },
    },
    ...problems(400, 401, 403, 404, 409, 422, 429, 503),
  },
});
