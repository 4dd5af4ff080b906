// Authenticates operators by `Authorization: Bearer <token>` (packages/operators: hashed, scoped, expiring) and
// checks the scope a route needs: no or a bad token is a 401, a token without the scope a 403. Tokens are checked
// against the database on every request, so a revocation takes effect at once (operator traffic is small).
import type { MiddlewareHandler } from 'hono';
import { AppError } from '@cardgate/errors';
import { hasScope, type OperatorScope, type OperatorTokens } from '@cardgate/operators';
import type { AppEnv } from '../../lib/types.ts';

export function operatorAuth(tokens: Pick<OperatorTokens, 'authenticate'>): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const header = context.req.header('authorization') ?? '';
    const match = /^Bearer ([^\s]{1,200})$/.exec(header);
    if (!match?.[1])
      throw new AppError('unauthenticated', 'operators sign in with Authorization: Bearer <token>', {
        reason: 'missing_credentials',
      });
    const operator = await tokens.authenticate(match[1]);
    if (!operator)
      throw new AppError('unauthenticated', 'the token is unknown, expired or revoked', {
        reason: 'invalid_token',
      });
    context.set('operator', operator);
    await next();
  };
}

/** Refuses (403) an operator whose token lacks `scope`; scopes nest (admin ⊇ operate ⊇ read). */
export function requireScope(scope: OperatorScope): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    if (!hasScope(context.get('operator').scopes, scope))
      throw new AppError('forbidden', `this action needs the ${scope} scope`, {
        reason: 'missing_scope',
        details: { scope },
      });
    await next();
  };
}
