// Routes of /v1/ops: the operators' look-ups and actions (packages/operations), each behind its scope (read or
// operate; a refusal is audited), the actions that move money or flows behind an Idempotency-Key. Mounted by app.ts
// after the operator bearer-token middleware.
import type { Context } from 'hono';
import { createOperations, operatorActions, type OperatorAction } from '@cardgate/operations';
import type { OperatorScope } from '@cardgate/operators';
import type { V1Context } from '../../lib/dependencies.ts';
import { createRouter } from '../../lib/router.ts';
import type { AppEnv } from '../../lib/types.ts';
import { requireIdempotencyKey } from '../../middleware/idempotency/idempotency.ts';
import { auditedScope, opsHandlers } from './ops.handlers.ts';
import * as routes from './ops.routes.ts';

export function createOpsRoutes(context: V1Context) {
  const operations = createOperations({
    pool: context.pool,
    temporal: context.temporal,
    // Within the request's time limit: a query, a signal and the wait for the flow to move all fit in it.
    queryTimeoutMs: Math.min(3_000, Math.floor(context.http.requestTimeoutMs / 4)),
    settleWaitMs: Math.min(3_000, Math.floor(context.http.requestTimeoutMs / 4)),
  });
  const handlers = opsHandlers(context, operations);
  const guard = (scope: OperatorScope, action: OperatorAction, targetOf: (c: Context<AppEnv>) => string) =>
    auditedScope(operations, scope, action, targetOf);
  const prefixed = (prefix: string, name: string) => (c: Context<AppEnv>) =>
    `${prefix}:${c.req.param(name) ?? ''}`;

  return createRouter()
    .openapi(
      {
        ...routes.lookUpUser,
        middleware: [guard('read', operatorActions.lookUpUser, (c) => `user:${c.req.query('query') ?? ''}`)],
      },
      handlers.lookUpUser,
    )
    .openapi(
      {
        ...routes.listHeldDeposits,
        middleware: [guard('read', operatorActions.listHeldDeposits, () => 'deposits:held')],
      },
      handlers.listHeldDeposits,
    )
    .openapi(
      {
        ...routes.approveDeposit,
        middleware: [
          guard('operate', operatorActions.approveDeposit, prefixed('deposit', 'deposit')),
          requireIdempotencyKey,
        ],
      },
      handlers.approveDeposit,
    )
    .openapi(
      {
        ...routes.rejectDeposit,
        middleware: [
          guard('operate', operatorActions.rejectDeposit, prefixed('deposit', 'deposit')),
          requireIdempotencyKey,
        ],
      },
      handlers.rejectDeposit,
    )
    .openapi(
      {
        ...routes.listWaitingFlows,
        middleware: [guard('read', operatorActions.listWaitingFlows, () => 'flows:waiting')],
      },
      handlers.listWaitingFlows,
    )
    .openapi(
      {
        ...routes.resolveCardLoad,
        middleware: [
          guard('operate', operatorActions.resolveCardLoad, prefixed('card_load', 'loadId')),
          requireIdempotencyKey,
        ],
      },
      handlers.resolveCardLoad,
    )
    .openapi(
      {
        ...routes.retryCardIssue,
        middleware: [
          guard('operate', operatorActions.retryCardIssue, prefixed('card', 'cardId')),
          requireIdempotencyKey,
        ],
      },
      handlers.retryCardIssue,
    )
    .openapi(
      {
        ...routes.retryCompensation,
        middleware: [
          guard('operate', operatorActions.retryCompensation, prefixed('workflow', 'workflowId')),
          requireIdempotencyKey,
        ],
      },
      handlers.retryCompensation,
    )
    .openapi(
      { ...routes.verifyLedger, middleware: [guard('read', operatorActions.verifyLedger, () => 'ledger')] },
      handlers.verifyLedger,
    )
    .openapi(
      {
        ...routes.freezeCard,
        middleware: [
          guard('operate', operatorActions.freezeCard, prefixed('card', 'cardId')),
          requireIdempotencyKey,
        ],
      },
      handlers.freezeCard,
    );
}
