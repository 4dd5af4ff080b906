// The one place where errors become HTTP responses: RFC 9457 problem+json bodies from @cardgate/errors, for every
// error the API answers (validation, unknown route, wrong method, too large, wrong content type, rate limited, ...).
// 5xx bodies never carry internal text; the full error goes to the log with the request id.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, isAppError, toProblemDetails } from '@cardgate/errors';
import type { AppEnv } from './types.ts';

export const problemContentType = 'application/problem+json';

export function problemResponse(
  context: Context<AppEnv>,
  error: AppError,
  headers: Record<string, string> = {},
): Response {
  const body = toProblemDetails(error, context.get('requestId'));
  return context.newResponse(JSON.stringify(body), body.status as 400, {
    ...headers,
    'content-type': problemContentType,
  });
}

export const handleError: ErrorHandler<AppEnv> = (error, context) => {
  const appError = toAppError(error);
  // A refusal the API chose and the caller may retry (503: the user's loads busy, a dependency away) is an operating
  // condition, logged as a warning; anything else at 500 or above is a defect, logged as an error with its stack.
  if (appError.httpStatus >= 500 && isAppError(error) && appError.retryable)
    context
      .get('logger')
      .warn({ reason: appError.reason, message: appError.message }, 'request refused for now');
  else if (appError.httpStatus >= 500) context.get('logger').error({ err: error }, 'request failed');
  else context.get('logger').info({ reason: appError.reason }, 'request rejected');
  const retryAfter = appError.details.retryAfterSeconds;
  return problemResponse(
    context,
    appError,
    typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {},
  );
};

export const handleNotFound: NotFoundHandler<AppEnv> = (context) =>
  problemResponse(
    context,
    new AppError('not_found', `no route for ${context.req.method} ${context.req.path}`),
  );

export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  // Hono's own middleware (body limit, timeout, ...) throws HTTPException with the right status.
  if (error instanceof HTTPException) {
    if (error.status === 413) return new AppError('payload_too_large', 'request body is too large');
    if (error.status === 401) return new AppError('unauthenticated', 'authentication required');
    if (error.status === 415) return new AppError('unsupported_media_type', 'unsupported content type');
    if (error.status === 503 || error.status === 504)
      return new AppError('unavailable', 'the request took too long', { reason: 'request_timeout' });
    if (error.status >= 400 && error.status < 500)
      return new AppError('invalid_input', error.message || 'bad request');
  }
  return new AppError('internal', 'internal error', { cause: error, internalMessage: String(error) });
}

/**
 * A not-found handler that tells a wrong method (405 with Allow) from an unknown path (404), from the app's routes:
 * Hono answers both with its not-found handler.
 */
export function notFoundOrWrongMethod(
  routes: () => ReadonlyArray<{ method: string; path: string }>,
): NotFoundHandler<AppEnv> {
  return (context) => {
    const allowed = new Set<string>();
    for (const route of routes())
      if (route.method !== 'ALL' && pathPattern(route.path).test(context.req.path)) allowed.add(route.method);
    if (allowed.size === 0) return handleNotFound(context);
    const allow = [...allowed].sort().join(', ');
    return problemResponse(
      context,
      new AppError('method_not_allowed', `${context.req.method} is not allowed here; use ${allow}`, {
        reason: 'method_not_allowed',
      }),
      { allow },
    );
  };
}

const routePatterns = new Map<string, RegExp>();
const regexSpecials = /[.*+?^${}()|[\]\\]/g;

/** A Hono route path (`/v1/cards/:id`) as a regular expression of the paths it matches. */
function pathPattern(path: string): RegExp {
  let pattern = routePatterns.get(path);
  if (!pattern) {
    const source = path
      .split('/')
      .map((segment) =>
        segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(regexSpecials, '\\$&'),
      )
      .join('/');
    pattern = new RegExp(`^${source}/?$`);
    routePatterns.set(path, pattern);
  }
  return pattern;
}
