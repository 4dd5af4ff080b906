// For tests: the API app on the real PostgreSQL (a database of the test file's own), Redis (a key prefix of its own)
// and Temporal (a client of the harness's server), with the development prices and limits, and signed Telegram
// initData for any user. Tests call `app.request()` in-process.
import { afterAll, beforeAll } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { sign } from '@telegram-apps/init-data-node';
import { accountExtendedPublicKey } from '@cardgate/tron';
import { parseMoney, USD, USDT } from '@cardgate/money';
import {
  harnessContext,
  testLogger,
  testRedisPrefix,
  testTaskQueue,
  useTestDatabase,
} from '@cardgate/test-harness';
import { createApp, type ApiApp } from './app.ts';
import { createAfterResponse } from './lib/after-response.ts';
import type { V1Dependencies } from './lib/dependencies.ts';
import { apiRedisOptions } from './lib/redis-options.ts';
import type { ProductSettings } from './lib/settings.ts';
import { defaultRateLimits, type RateLimitSettings } from './middleware/rate-limit/rate-limit.ts';

/** A bot token of the Bot API's form, for tests and development only. */
export const testBotToken = '7000000001:AAFtestTokenForCardgateDevelopment0001';

/** The BIP39 test mnemonic: public, development and tests only. */
const developmentMnemonic =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

export const testProductSettings: ProductSettings = {
  prices: {
    deposit: { feeFixed: parseMoney('0.5', USDT), feeBasisPoints: 100n, reviewBelow: parseMoney('5', USDT) },
    cardIssueFee: parseMoney('2', USDT),
    fx: { usdtUsdRate: '0.9995', spreadBasisPoints: 150n },
  },
  limits: {
    perLoad: parseMoney('500', USD),
    perDay: parseMoney('1000', USD),
    perMonth: parseMoney('3000', USD),
    cardBalanceMax: parseMoney('1000', USD),
  },
  quoteLifetimeMs: 60_000,
  deposits: {
    tokenContract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    confirmationsNeeded: 19,
    addressXpub: accountExtendedPublicKey(developmentMnemonic, 0),
    addressAccount: 0,
  },
};

export interface TelegramTestUser {
  readonly id: number;
  readonly firstName?: string;
  readonly username?: string;
  readonly languageCode?: string;
}

/** initData for `user`, signed with `botToken` as Telegram would, dated `authDate` (default now). */
export function signedInitData(
  user: TelegramTestUser,
  options: { botToken?: string; authDate?: Date; queryId?: string } = {},
): string {
  return sign(
    {
      user: {
        id: user.id,
        first_name: user.firstName ?? `User${user.id}`,
        ...(user.username ? { username: user.username } : {}),
        language_code: user.languageCode ?? 'en',
        allows_write_to_pm: true,
      },
      ...(options.queryId ? { query_id: options.queryId } : {}),
    },
    options.botToken ?? testBotToken,
    options.authDate ?? new Date(),
  );
}

/** The Authorization header of a Mini App request by `user`. */
export function tmaHeader(
  user: TelegramTestUser,
  options: Parameters<typeof signedInitData>[1] = {},
): string {
  return `tma ${signedInitData(user, options)}`;
}

export interface TestApi {
  readonly app: ApiApp;
  readonly dependencies: V1Dependencies;
}

export interface TestApiOptions {
  readonly botToken?: string;
  readonly settings?: Partial<ProductSettings>;
  readonly rateLimits?: RateLimitSettings;
  readonly requestTimeoutMs?: number;
  readonly bodyBytesMax?: number;
  readonly now?: () => Date;
  readonly clientIp?: V1Dependencies['clientIp'];
}

/** Generous limits, so only the rate-limit tests meet them. */
export const testRateLimits: RateLimitSettings = {
  readsPerCaller: { points: 100_000, windowSeconds: 60 },
  writesPerCaller: { points: 100_000, windowSeconds: 60 },
  requestsPerIp: { points: 1_000_000, windowSeconds: 60 },
};

/**
 * Declares hooks that build the API for this test file on the real servers. The handle's fields are ready inside
 * tests and hooks declared after the call.
 */
export function useTestApi(options: TestApiOptions = {}) {
  const database = useTestDatabase();
  let redis: Redis | undefined;
  let connection: Connection | undefined;
  let built: TestApi | undefined;
  const taskQueue = testTaskQueue('api');
  beforeAll(async () => {
    const harness = harnessContext();
    redis = new Redis(harness.redisUrl, apiRedisOptions);
    connection = await Connection.connect({ address: harness.temporalAddress });
    const client = new Client({ connection, namespace: harness.temporalNamespace });
    const dependencies: V1Dependencies = {
      pool: database.pool,
      redis,
      redisKeyPrefix: testRedisPrefix('api'),
      temporal: { client, taskQueue },
      telegram: { botToken: options.botToken ?? testBotToken, initDataMaxAgeSeconds: 3600 },
      settings: { ...testProductSettings, ...options.settings },
      http: {
        miniAppOrigin: 'https://mini.cardgate.test',
        bodyBytesMax: options.bodyBytesMax ?? 16 * 1024,
        requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      },
      rateLimits: options.rateLimits ?? testRateLimits,
      ...(options.clientIp ? { clientIp: options.clientIp } : {}),
      ...(options.now ? { now: options.now } : {}),
      afterResponse: createAfterResponse(testLogger('api-after-response')),
    };
    built = {
      app: createApp({ logger: testLogger('api'), healthChecks: {}, v1: dependencies }),
      dependencies,
    };
  });
  afterAll(async () => {
    redis?.disconnect();
    await connection?.close();
  });
  return {
    database,
    taskQueue,
    get app(): ApiApp {
      if (!built) throw new Error('the test API is ready only inside tests and hooks');
      return built.app;
    },
    get dependencies(): V1Dependencies {
      if (!built) throw new Error('the test API is ready only inside tests and hooks');
      return built.dependencies;
    },
  };
}

export { defaultRateLimits };

/** A response's JSON body, for assertions on its fields (tests only: their shape is what the test checks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function bodyOf(response: Response): Promise<any> {
  return response.json();
}
