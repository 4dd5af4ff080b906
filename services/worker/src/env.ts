// The worker's environment, parsed once at start-up. Prices (fees, review minimum, FX rate and spread) have no
// defaults: a deployment states them, and `npm run dev` and the tests pass their own.
import {
  envHost,
  envHostPort,
  envLogLevel,
  envPort,
  envPostgresUrl,
  envRedisUrl,
  pricingEnvironment,
  programLimitsEnvironment,
} from '@cardgate/config';
import { z } from 'zod';
import type { Money } from '@cardgate/money';
import type { MoneySettings } from './activities/index.ts';
import { reconciliationSourcesEnvironment } from '@cardgate/reconciliation';

export const workerEnvironment = {
  DATABASE_URL: envPostgresUrl,
  REDIS_URL: envRedisUrl,
  /** The users' event streams live under it in Redis: the API's API_REDIS_KEY_PREFIX, where it reads them. */
  USER_EVENTS_REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]{1,40}$/)
    .default('cardgate'),
  /**
   * BullMQ's key prefix of the notifications queue the worker fills and the bot empties (the bot's variable of the same
   * name must match); tests give their own, so no bot outside the test reads their notifications.
   */
  NOTIFICATION_QUEUE_PREFIX: z.string().min(1).max(100).default('bull'),
  TEMPORAL_ADDRESS: envHostPort,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('cardgate'),
  WORKER_HEALTH_PORT: envPort.default(8789),
  WORKER_HEALTH_HOST: envHost.default('127.0.0.1'),
  LOG_LEVEL: envLogLevel.default('info'),
  // CARD_PROVIDER_URL, CARD_PROVIDER_API_KEY and CARD_PROVIDER_TIMEOUT_MS come with the reconciliation's sources below.
  ...pricingEnvironment,
  // The program limits: a deposit's auto-load meets them as a load through the API does.
  ...programLimitsEnvironment,
  // The scheduled reconciliation reads the chain with the watcher's variables; without a node there is no schedule.
  ...reconciliationSourcesEnvironment,
  TRON_NODE_URLS: reconciliationSourcesEnvironment.TRON_NODE_URLS.optional(),
  /** How often the reconciliation Schedule runs (a Temporal duration), or `off`. */
  RECONCILE_EVERY: z
    .string()
    .regex(
      /^(off|\d{1,4} ?(seconds?|minutes?|hours?|days?|[smhd]))$/,
      'must be a duration such as "1 hour", or off',
    )
    .default('1 hour'),
  /** How often the card load sweep runs (a Temporal duration), or `off`: it resumes loads left unfinished. */
  CARD_LOAD_SWEEP_EVERY: z
    .string()
    .regex(
      /^(off|\d{1,4} ?(seconds?|minutes?|hours?|days?|[smhd]))$/,
      'must be a duration such as "5 minutes", or off',
    )
    .default('5 minutes'),
};

export function moneySettingsFrom(environment: {
  DEPOSIT_FEE_FIXED_USDT: Money;
  DEPOSIT_FEE_BPS: bigint;
  DEPOSIT_REVIEW_BELOW_USDT: Money;
  CARD_ISSUE_FEE_USDT: Money;
  USDT_USD_RATE: string;
  FX_SPREAD_BPS: bigint;
  CARD_LIMIT_PER_LOAD_USD: Money;
  CARD_LIMIT_DAILY_USD: Money;
  CARD_LIMIT_MONTHLY_USD: Money;
  CARD_BALANCE_MAX_USD: Money;
}): MoneySettings {
  return {
    deposit: {
      feeFixed: environment.DEPOSIT_FEE_FIXED_USDT,
      feeBasisPoints: environment.DEPOSIT_FEE_BPS,
      reviewBelow: environment.DEPOSIT_REVIEW_BELOW_USDT,
    },
    cardIssueFee: environment.CARD_ISSUE_FEE_USDT,
    fx: { usdtUsdRate: environment.USDT_USD_RATE, spreadBasisPoints: environment.FX_SPREAD_BPS },
    limits: {
      perLoad: environment.CARD_LIMIT_PER_LOAD_USD,
      perDay: environment.CARD_LIMIT_DAILY_USD,
      perMonth: environment.CARD_LIMIT_MONTHLY_USD,
      cardBalanceMax: environment.CARD_BALANCE_MAX_USD,
    },
  };
}
