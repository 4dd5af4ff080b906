// Idempotency-Key for every POST that creates or moves money (IETF httpapi draft; Stripe's behaviour):
// - the header is required (missing or malformed: 400), checked before the body is validated;
// - a request that fails validation stores nothing (the validator runs before the handler claims the key);
// - the first request's status and body are stored with a fingerprint of method, path and body for 24 hours; a
//   repeat gets the same response with `Idempotent-Replayed: true`; the same key with another body is a 422; a
//   repeat while the first is still running is a 409;
// - keys are the caller's own (scope `user:<id>` or `operator:<token id>`);
// - a retryable failure (503, 504) releases the key, so the client's retry with it runs again; handlers derive the
//   objects they create from the key, so a rerun finds what a first, interrupted run made.
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { AppError, isAppError, toProblemDetails } from '@cardgate/errors';
import { problemContentType, toAppError } from '../../lib/problem.ts';
import type { AppEnv } from '../../lib/types.ts';
import type { IdempotencyStore } from './idempotency-store.ts';

const keyPattern = /^[\x21-\x7e]{1,255}$/;

/** Route middleware: refuses (400) a request without a usable Idempotency-Key before its body is validated. */
export const requireIdempotencyKey: MiddlewareHandler<AppEnv> = async (context, next) => {
  const key = context.req.header('idempotency-key');
  if (key === undefined)
    throw new AppError('invalid_input', 'this request needs an Idempotency-Key header', {
      reason: 'idempotency_key_missing',
    });
  if (!keyPattern.test(key))
    throw new AppError('invalid_input', 'the Idempotency-Key must be 1-255 visible ASCII characters', {
      reason: 'idempotency_key_malformed',
    });
  await next();
};

/** The caller's scope for keys: a user's or an operator token's. */
export function callerScope(context: Context<AppEnv>): string {
  const operator = context.get('operator') as AppEnv['Variables']['operator'] | undefined;
  if (operator) return `operator:${operator.tokenId}`;
  return `user:${context.get('user').id}`;
}

export interface IdempotentResult {
  readonly status: number;
  readonly body: unknown;
}

export function createIdempotency(store: IdempotencyStore) {
  /**
   * Runs `handle` once per caller and key. `handle` receives the key (to derive the ids of what it creates) and
   * answers a status and a JSON body; an AppError it throws is answered (and stored, unless retryable) as
   * problem+json.
   */
  return async function idempotent(
    context: Context<AppEnv>,
    handle: (key: string) => Promise<IdempotentResult>,
  ): Promise<Response> {
    const key = context.req.header('idempotency-key');
    if (key === undefined || !keyPattern.test(key))
      throw new AppError('invalid_input', 'this request needs an Idempotency-Key header', {
        reason: 'idempotency_key_missing',
      });
    const scope = callerScope(context);
    const body = await context.req.text();
    const fingerprint = createHash('sha256')
      .update(`${context.req.method}\n${context.req.path}\n${body}`)
      .digest('hex');
    const claim = await store.claim(scope, key, fingerprint);
    if (claim.kind === 'fingerprint_mismatch')
      throw new AppError('rule_violation', 'this Idempotency-Key was used with another request', {
        reason: 'idempotency_key_reused',
      });
    if (claim.kind === 'in_progress')
      throw new AppError('conflict', 'a request with this Idempotency-Key is still running', {
        reason: 'idempotency_key_in_use',
      });
    if (claim.kind === 'replay') return replay(context, claim.status, claim.body);
    let status: number;
    let text: string;
    let contentType = 'application/json';
    try {
      const result = await handle(key);
      status = result.status;
      text = JSON.stringify(result.body);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.retryable || !isAppError(error)) {
        await store.release(scope, key);
        throw error;
      }
      const problem = toProblemDetails(appError, context.get('requestId'));
      status = problem.status;
      text = JSON.stringify(problem);
      contentType = problemContentType;
    }
    await store.complete(scope, key, status, text);
    return context.newResponse(text, status as 200, { 'content-type': contentType });
  };
}

function replay(context: Context<AppEnv>, status: number, body: string): Response {
  context.get('logger').info({ status }, 'idempotent replay');
  const contentType = status >= 400 ? problemContentType : 'application/json';
  return context.newResponse(body, status as 200, {
    'content-type': contentType,
    'idempotent-replayed': 'true',
  });
}

export type Idempotent = ReturnType<typeof createIdempotency>;
