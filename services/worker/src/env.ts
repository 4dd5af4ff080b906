// The worker's environment, parsed once at start-up. Prices (fees, review minimum, FX rate and spread) have no
// defaults: a deployment states them, and `npm run dev` and the tests pass their own.
import {
  envHost,
  envHostPort,
  envLogLevel,
  envPort,
  envPostgresUrl,
  envRedisUrl,
  envUrl,
  pricingEnvironment,
} from '@cardgate/config';
import { z } from 'zod';
import type { Money } from '@cardgate/money';
import type { MoneySettings } from './activities/index.ts';

export const workerEnvironment = {
  DATABASE_URL: envPostgresUrl,
  REDIS_URL: envRedisUrl,
  TEMPORAL_ADDRESS: envHostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('cardgate'),
  WORKER_HEALTH_PORT: envPort.default(8789),
  WORKER_HEALTH_HOST: envHost.default('127.0.0.1'),
  LOG_LEVEL: envLogLevel.default('info'),
  CARD_PROVIDER_URL: envUrl,
  CARD_PROVIDER_API_KEY: z.string().min(1),
  CARD_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  ...pricingEnvironment,
};

export function moneySettingsFrom(environment: {
  DEPOSIT_FEE_FIXED_USDT: Money;
  DEPOSIT_FEE_BPS: bigint;
  DEPOSIT_REVIEW_BELOW_USDT: Money;
  CARD_ISSUE_FEE_USDT: Money;
  USDT_USD_RATE: string;
  FX_SPREAD_BPS: bigint;
}): MoneySettings {
  return {
    deposit: {
      feeFixed: environment.DEPOSIT_FEE_FIXED_USDT,
      feeBasisPoints: environment.DEPOSIT_FEE_BPS,
      reviewBelow: environment.DEPOSIT_REVIEW_BELOW_USDT,
    },
    cardIssueFee: environment.CARD_ISSUE_FEE_USDT,
    fx: { usdtUsdRate: environment.USDT_USD_RATE, spreadBasisPoints: environment.FX_SPREAD_BPS },
  };
}
