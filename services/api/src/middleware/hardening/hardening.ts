// What every /v1 request passes before its route: security headers, CORS for the Mini App's origin only, a body
// limit, JSON-only bodies, and a time limit. Each failure is a problem+json (413, 415, 503) through the one onError.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { timeout } from 'hono/timeout';
import { AppError } from '@cardgate/errors';
import type { AppEnv } from '../../lib/types.ts';

export interface HardeningSettings {
  /** The Mini App's origin (scheme://host[:port]); CORS allows only it. Undefined: no cross-origin caller. */
  readonly miniAppOrigin: string | undefined;
  readonly bodyBytesMax: number;
  readonly requestTimeoutMs: number;
}

/** Telegram's web clients show a Mini App in an iframe: the app's page may be framed by them, and only by them. */
export const telegramFrameAncestors = ["'self'", 'https://web.telegram.org', 'https://*.telegram.org'];

/** Headers of API responses: nothing may frame or sniff them. */
export const apiSecureHeaders = (): MiddlewareHandler<AppEnv> =>
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    xFrameOptions: 'DENY',
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  });

/** Headers of the Mini App's page: framable by Telegram's web client (frame-ancestors, no X-Frame-Options). */
export const miniAppSecureHeaders = (): MiddlewareHandler<AppEnv> =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: telegramFrameAncestors,
    },
    xFrameOptions: false,
  });

/**
 * CORS for the Mini App's origin only. A request that does not come from that origin (no Origin header: curl, the
 * bot, a same-origin GET; or another origin, which gets no Access-Control-Allow-Origin anyway) skips hono/cors:
 * it touches the response before the route runs, which makes @hono/node-server build a full undici Response and
 * copy it once more when the route's response arrives (measured with bench:api's CPU profile: about 10% of the API's
 * CPU on GET /v1/balances). API responses are never stored by caches (Cache-Control: no-store), so no Vary is owed.
 */
export function corsForMiniApp(origin: string | undefined): MiddlewareHandler<AppEnv> {
  if (origin === undefined) return (_context, next) => next();
  const miniAppCors = cors({
    origin,
    allowMethods: ['GET', 'POST', 'PATCH', 'OPTIONS'],
    allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'last-event-id', 'x-request-id'],
    exposeHeaders: ['idempotent-replayed', 'retry-after', 'x-request-id'],
    maxAge: 600,
  });
  return (context, next) => (context.req.header('origin') === origin ? miniAppCors(context, next) : next());
}

/**
 * API responses are the user's own money and must not be kept by any cache. Set before the route runs, so the
 * header joins the route's response as it is made (a header set afterwards makes the server copy the response).
 */
export const noStore: MiddlewareHandler<AppEnv> = async (context, next) => {
  context.header('cache-control', 'no-store');
  await next();
};

export function limitBody(bytesMax: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: bytesMax,
    onError: () => {
      throw new AppError('payload_too_large', `the request body is larger than ${bytesMax} bytes`, {
        reason: 'body_too_large',
        details: { bytesMax },
      });
    },
  });
}

/** A request with a body must say it is JSON (415 otherwise), before the body is read. */
export const requireJsonBody: MiddlewareHandler<AppEnv> = async (context, next) => {
  const method = context.req.method;
  if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
    const length = context.req.header('content-length');
    const hasBody =
      (length !== undefined && length !== '0') || context.req.header('transfer-encoding') !== undefined;
    const type = (context.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (hasBody && type !== 'application/json')
      throw new AppError('unsupported_media_type', 'request bodies must be application/json', {
        reason: 'unsupported_media_type',
      });
  }
  await next();
};

/** A request still running after `timeoutMs` is answered 503 (request_timeout), never left hanging. */
export function limitTime(timeoutMs: number): MiddlewareHandler<AppEnv> {
  // hono/timeout throws an HTTPException(504); lib/problem.ts turns it into the 503 problem.
  return timeout(timeoutMs);
}
