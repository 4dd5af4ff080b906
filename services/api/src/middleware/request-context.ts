// Gives every request an id (the caller's X-Request-Id when it is sane, else a new one) and one access log line;
// every line written while handling the request, the access line included, carries the id once, through the log
// context.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { runWithLogContext, type Logger } from '@cardgate/config';
import type { AppEnv } from '../lib/types.ts';

export type { ApiVariables } from '../lib/types.ts';

const acceptableRequestId = /^[A-Za-z0-9._:-]{1,100}$/;

export function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const offered = context.req.header('x-request-id');
    const requestId = offered && acceptableRequestId.test(offered) ? offered : randomUUID();
    context.set('requestId', requestId);
    // The id reaches every line through the log context (the logger's mixin); a child logger bound to it as well
    // wrote it twice on each line.
    context.set('logger', logger);
    context.header('x-request-id', requestId);
    const startedAt = performance.now();
    await runWithLogContext({ requestId }, async () => {
      await next();
      const durationMs = Math.round((performance.now() - startedAt) * 1000) / 1000;
      logger.info(
        { method: context.req.method, path: context.req.path, status: context.res.status, durationMs },
        'request',
      );
    });
  };
}
