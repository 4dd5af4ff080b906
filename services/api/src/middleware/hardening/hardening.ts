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

/**
 * Headers of every API response (OWASP's REST Security Cheat Sheet set for JSON APIs): nothing may frame, sniff or
 * keep them, and browsers must use HTTPS. The responses are the user's own money: `Cache-Control: no-store`.
 *
 * Set by hand, before the route runs, instead of with hono/secure-headers (which the Mini App's HTML page keeps):
 * that middleware writes its dozen headers, most of them for HTML documents, into the route's finished Response
 * afterwards, through undici's validating Headers. Measured with bench:api's CPU profile of GET /v1/balances: the
 * undici header work and the larger response took about 5% of the API's CPU. Headers set here join the response
 * as it is made, error responses (problem+json) included.
 */
const apiResponseHeaders: ReadonlyArray<readonly [string, string]> = [
  ['cache-control', 'no-store'],
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
];

export const apiSecureHeaders: MiddlewareHandler<AppEnv> = async (context, next) => {
  for (const [name, value] of apiResponseHeaders) context.header(name, value);
  await next();
};

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

const bodylessMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The body limit, for the methods that carry a body. A GET, HEAD or OPTIONS request skips hono/body-limit: a Fetch
 * Request of those methods never has a body, and the middleware's first look (`c.req.raw.body`) makes
 * @hono/node-server build the full undici Request and its Headers (measured with bench:api's CPU profile: about 7%
 * of the API's CPU on GET /v1/balances).
 */
export function limitBody(bytesMax: number): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: bytesMax,
    onError: () => {
      throw new AppError('payload_too_large', `the request body is larger than ${bytesMax} bytes`, {
        reason: 'body_too_large',
        details: { bytesMax },
      });
    },
  });
  return (context, next) => (bodylessMethods.has(context.req.method) ? next() : limit(context, next));
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
