// The operators' handlers: each calls packages/operations (the one implementation the ops command line calls too)
// with the operator's token id and the request id, for the audit, and shapes the answer. Amounts leave as decimal
// strings with their asset.
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { isAppError } from '@cardgate/errors';
import type { OperatorScope } from '@cardgate/operators';
import type { OperatorAction, OperatorCall, Operations, UserDetails } from '@cardgate/operations';
import type { V1Context } from '../../lib/dependencies.ts';
import { money } from '../../lib/schemas.ts';
import type { AppEnv } from '../../lib/types.ts';
import { requireScope } from '../../middleware/operator-auth/operator-auth.ts';
import type * as routes from './ops.routes.ts';

export function callOf(c: Context<AppEnv>): OperatorCall {
  return { actor: c.get('operator').tokenId, requestId: c.get('requestId') };
}

/**
 * requireScope, with the refusal audited: a token without the scope is answered 403 and the attempt recorded under
 * the action it tried and its target (read from the path by `targetOf`).
 */
export function auditedScope(
  operations: Operations,
  scope: OperatorScope,
  action: OperatorAction,
  targetOf: (c: Context<AppEnv>) => string,
): MiddlewareHandler<AppEnv> {
  const check = requireScope(scope);
  return async (c, next) => {
    try {
      await check(c, () => Promise.resolve());
    } catch (error) {
      if (isAppError(error) && error.code === 'forbidden')
        await operations.recordRefusal(callOf(c), action, targetOf(c), error.reason);
      throw error;
    }
    await next();
  };
}

function userDetailsBody(details: UserDetails) {
  const { user } = details;
  return {
    user: {
      id: user.id,
      telegramUserId: String(user.telegramUserId),
      firstName: user.firstName,
      lastName: user.lastName,
      username: user.username,
      languageCode: user.languageCode,
      botBlocked: user.botBlockedAt !== null,
      createdAt: user.createdAt.toISOString(),
    },
    balances: details.balances.map((balance) => ({
      account: balance.account,
      posted: money(balance.posted),
      pending: money(balance.pending),
      available: money(balance.available),
    })),
    deposits: details.deposits.map((deposit) => ({
      deposit: `${deposit.txId}:${deposit.logIndex}`,
      amount: money(deposit.amount),
      state: deposit.state,
      at: deposit.at.toISOString(),
    })),
    cards: details.cards.map((card) => ({
      cardId: card.cardId,
      state: card.state,
      providerToken: card.providerToken,
    })),
  };
}

/**
 * An idempotent answer typed as the route's: context.idempotent builds the Response itself (first run or replay), which
 * the route's typed-response check cannot see.
 */
function idempotentAnswer(response: Promise<Response>): never {
  return response as never;
}

export function opsHandlers(context: V1Context, operations: Operations) {
  const lookUpUser: RouteHandler<typeof routes.lookUpUser, AppEnv> = async (c) => {
    const found = await operations.lookUpUser(callOf(c), c.req.valid('query').query);
    return c.json({ users: found.map(userDetailsBody) }, 200);
  };

  const listHeldDeposits: RouteHandler<typeof routes.listHeldDeposits, AppEnv> = async (c) => {
    const { cursor, limit } = c.req.valid('query');
    const page = await operations.listHeldDeposits(callOf(c), { limit, after: cursor });
    return c.json(
      {
        items: page.items.map((item) => ({
          deposit: `${item.txId}:${item.logIndex}`,
          userId: item.userId,
          amount: money(item.amount),
          heldAt: item.heldAt.toISOString(),
          workflowId: item.workflowId,
        })),
        nextCursor: page.nextCursor,
      },
      200,
    );
  };

  const decide =
    (approve: boolean): RouteHandler<typeof routes.approveDeposit, AppEnv> =>
    (c) =>
      idempotentAnswer(
        context.idempotent(c, async () => {
          const deposit = c.req.valid('param').deposit;
          const result = approve
            ? await operations.approveDeposit(callOf(c), deposit)
            : await operations.rejectDeposit(callOf(c), deposit);
          return { status: 200, body: result };
        }),
      );

  const listWaitingFlows: RouteHandler<typeof routes.listWaitingFlows, AppEnv> = async (c) => {
    const result = await operations.listWaitingFlows(callOf(c));
    return c.json(
      {
        flows: result.flows.map((flow) => ({ ...flow, startedAt: flow.startedAt.toISOString() })),
        scanned: result.scanned,
        truncated: result.truncated,
        unanswered: [...result.unanswered],
      },
      200,
    );
  };

  const resolveCardLoad: RouteHandler<typeof routes.resolveCardLoad, AppEnv> = (c) =>
    idempotentAnswer(
      context.idempotent(c, async () => ({
        status: 200,
        body: await operations.resolveCardLoad(callOf(c), c.req.valid('param').loadId, c.req.valid('json')),
      })),
    );

  const retryCardIssue: RouteHandler<typeof routes.retryCardIssue, AppEnv> = (c) =>
    idempotentAnswer(
      context.idempotent(c, async () => ({
        status: 200,
        body: await operations.retryCardIssue(callOf(c), c.req.valid('param').cardId),
      })),
    );

  const retryCompensation: RouteHandler<typeof routes.retryCompensation, AppEnv> = (c) =>
    idempotentAnswer(
      context.idempotent(c, async () => ({
        status: 200,
        body: await operations.retryCompensation(callOf(c), c.req.valid('param').workflowId),
      })),
    );

  const verifyLedger: RouteHandler<typeof routes.verifyLedger, AppEnv> = async (c) => {
    const report = await operations.verifyLedger(callOf(c));
    return c.json(
      {
        ok: report.ok,
        problems: [...report.problems],
        accountsChecked: report.accountsChecked.toString(),
        transfersChecked: report.transfersChecked.toString(),
      },
      200,
    );
  };

  const freezeCard: RouteHandler<typeof routes.freezeCard, AppEnv> = (c) =>
    idempotentAnswer(
      context.idempotent(c, async () => ({
        status: 200,
        body: await operations.freezeCard(callOf(c), c.req.valid('param').cardId),
      })),
    );

  return {
    lookUpUser,
    listHeldDeposits,
    approveDeposit: decide(true),
    rejectDeposit: decide(false),
    listWaitingFlows,
    resolveCardLoad,
    retryCardIssue,
    retryCompensation,
    verifyLedger,
    freezeCard,
  };
}
