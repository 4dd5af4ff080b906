// Rate limits in Redis (rate-limiter-flexible on the project's ioredis), per signed-in user or operator and per
// client IP, with a separate, tighter budget for writes. An exceeded budget is a 429 problem+json with
// Retry-After. If Redis fails, an in-memory limiter with the same budget stands in (per process), so an outage of
// Redis neither opens the API to floods nor takes it down.
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@cardgate/errors';
import type { AppEnv } from '../../lib/types.ts';

export interface RateBudget {
  /** Requests allowed per window. */
  readonly points: number;
  readonly windowSeconds: number;
}

export interface RateLimitSettings {
  /** Reads (GET) per caller. */
  readonly readsPerCaller: RateBudget;
  /** Writes (POST, PATCH, DELETE) per caller: tighter. */
  readonly writesPerCaller: RateBudget;
  /** Every request per client IP, before authentication. */
  readonly requestsPerIp: RateBudget;
}

export const defaultRateLimits: RateLimitSettings = {
  readsPerCaller: { points: 300, windowSeconds: 60 },
  writesPerCaller: { points: 30, windowSeconds: 60 },
  requestsPerIp: { points: 600, windowSeconds: 60 },
};

function limiter(redis: Redis, keyPrefix: string, budget: RateBudget) {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points: budget.points,
    duration: budget.windowSeconds,
    // A key over its budget is refused from memory until its window ends, without asking Redis again.
    inMemoryBlockOnConsumed: budget.points,
    insuranceLimiter: new RateLimiterMemory({ points: budget.points, duration: budget.windowSeconds }),
  });
}

async function consume(rateLimiter: RateLimiterRedis, key: string, what: string): Promise<void> {
  try {
    await rateLimiter.consume(key, 1);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new AppError('rate_limited', `too many ${what}; try again in ${retryAfterSeconds} s`, {
      reason: 'rate_limited',
      details: { retryAfterSeconds, limit: what },
    });
  }
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createRateLimits(redis: Redis, settings: RateLimitSettings, keyPrefix = 'cardgate:rl') {
  const perIp = limiter(redis, `${keyPrefix}:ip`, settings.requestsPerIp);
  const reads = limiter(redis, `${keyPrefix}:read`, settings.readsPerCaller);
  const writes = limiter(redis, `${keyPrefix}:write`, settings.writesPerCaller);
  return {
    /**
     * Every request, by client IP. The address's budget is asked for here and answered where the caller's is (in
     * perCaller, which every /v1 route passes before its handler): the two Redis calls go out together instead of
     * one after the other, one round trip of waiting instead of two on every request. A request that never reaches
     * perCaller (refused by authentication) waits for the address's answer here, so an address over its budget gets
     * 429, not the 401, and a flood of unauthenticated requests is limited as before.
     */
    perIp(clientIp: (context: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
      return async (context, next) => {
        const addressCheck = consume(perIp, clientIp(context), 'requests from this address');
        // Answered later (below or in perCaller); this keeps a refusal from being an unhandled rejection meanwhile.
        addressCheck.catch(() => undefined);
        let answered = false;
        context.set('addressBudget', () => {
          answered = true;
          return addressCheck;
        });
        await next();
        if (!answered) await addressCheck;
      };
    },
    /** After authentication: by the caller (user or operator), writes against their own budget. */
    perCaller(callerKey: (context: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> {
      return async (context, next) => {
        const isWrite = writeMethods.has(context.req.method);
        const addressBudget = context.get('addressBudget') as (() => Promise<void>) | undefined;
        await Promise.all([
          addressBudget?.(),
          consume(isWrite ? writes : reads, callerKey(context), isWrite ? 'writes' : 'requests'),
        ]);
        await next();
      };
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
