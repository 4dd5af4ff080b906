// Gives every request an id (the caller's X-Request-Id when it is sane, else a new one), a child logger carrying it,
// and one access log line; log lines written while handling the request carry the id through the log context.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { runWithLogContext, type Logger } from '@cardgate/config';

export interface ApiVariables {
  requestId: string;
  logger: Logger;
}

const acceptableRequestId = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestContext(logger: Logger): MiddlewareHandler<{ Variables: ApiVariables }> {
  return async (context, next) => {
    const offered = context.req.header('x-request-id');
    const requestId = offered && acceptableRequestId.test(offered) ? offered : randomUUID();
    context.set('requestId', requestId);
    context.set('logger', logger.child({ requestId }));
    context.header('x-request-id', requestId);
    const startedAt = performance.now();
    await runWithLogContext({ requestId }, next);
    const durationMs = Math.round((performance.now() - startedAt) * 1000) / 1000;
    context
      .get('logger')
      .info(
        { method: context.req.method, path: context.req.path, status: context.res.status, durationMs },
        'request',
      );
  };
}
