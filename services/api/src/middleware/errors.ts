// The one place where errors become HTTP responses: problem+json bodies from @cardgate/errors; 5xx bodies never
// carry internal text, and the full error goes to the log with the request id.
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, isAppError, toProblemDetails } from '@cardgate/errors';
import type { ApiVariables } from './request-context.ts';

type ApiContext = Context<{ Variables: ApiVariables }>;

export function problemResponse(context: ApiContext, error: AppError): Response {
  const body = toProblemDetails(error, context.get('requestId'));
  return context.json(body, body.status as 400, { 'content-type': 'application/problem+json' });
}

export const handleError: ErrorHandler<{ Variables: ApiVariables }> = (error, context) => {
  const appError = toAppError(error);
  if (appError.httpStatus >= 500) context.get('logger').error({ err: error }, 'request failed');
  else context.get('logger').info({ reason: appError.reason }, 'request rejected');
  return problemResponse(context, appError);
};

export const handleNotFound: NotFoundHandler<{ Variables: ApiVariables }> = (context) =>
  problemResponse(
    context,
    new AppError('not_found', `no route for ${context.req.method} ${context.req.path}`),
  );

function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  // Hono's own middleware (body limit, ...) throws HTTPException with the right status.
  if (error instanceof HTTPException) {
    if (error.status === 413) return new AppError('payload_too_large', 'request body is too large');
    if (error.status === 401) return new AppError('unauthenticated', 'authentication required');
    if (error.status >= 400 && error.status < 500)
      return new AppError('invalid_input', error.message || 'bad request');
  }
  return new AppError('internal', 'internal error', { cause: error, internalMessage: String(error) });
}
