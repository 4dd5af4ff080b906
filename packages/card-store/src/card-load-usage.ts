// What counts against the program limits when a user loads a card, and the user's loading lock under which it is
// summed: every load that is checked (one bound to a quote, one made by the worker without a quote) takes the same
// lock, so two loads of one user never both pass a limit.
import { sql, type CommonQueryMethods, type DatabaseTransactionConnection } from '@cardgate/db';
import { AppError } from '@cardgate/errors';
import { moneyFromMinor, USD } from '@cardgate/money';
import type { Money } from '@cardgate/money';
import { z } from 'zod';

const sumsRow = z.object({ today: z.bigint(), month: z.bigint(), on_the_way: z.bigint() });
const noRows = z.object({});

export interface UsageInput {
  readonly userId: string;
  /** The card whose loads on their way count (none: the user's view of the limits). */
  readonly cardId?: string;
  readonly dayStart: Date;
  readonly monthStart: Date;
  /**
   * When the caller started reading the card's posted balance from the ledger (databaseNow(), taken before that
   * read). A load posts in the ledger before it is marked loaded, so loads marked loaded since then are counted as on
   * their way too: a load that posted after the read is never missed (one that posted just before it may be counted
   * twice, which refuses early, never late). The ledger cannot be read inside this module's transaction (slonik
   * refuses a second connection inside one), hence the read before it and this bound.
   */
  readonly cardPostedReadAt?: Date;
}

/** What counts against the program limits when a user loads a card (net USD), summed under the user's lock. */
export interface CardLoadUsage {
  /** The user's loads made since `dayStart`, over all cards, not failed. */
  readonly loadedToday: Money;
  /** The user's loads made since `monthStart`, over all cards, not failed. */
  readonly loadedThisMonth: Money;
  /** This card's loads not in the posted balance the caller read (holding, loading, or loaded since the read). */
  readonly onTheWayToCard: Money;
}

/** The name of one user's loading lock (hashed by PostgreSQL into the advisory lock's key). */
export const cardLoadLockName = (userId: string): string => `card-load:${userId}`;

/**
 * How long a load waits for the user's lock. A waiting request holds a pooled connection, so an unbounded wait would
 * let one user's burst of loads take the whole pool from everyone; past this the load is refused as retryable (503).
 */
export const cardLoadLockWaitMs = 2_000;

/** SQLSTATE lock_not_available: the lock wait passed lock_timeout. */
const lockNotAvailable = '55P03';

function isLockTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth += 1) {
    const candidate = current as { code?: unknown; cause?: unknown };
    if (candidate.code === lockNotAvailable) return true;
    current = candidate.cause;
  }
  return false;
}

/** One user's lock for loading: held for the binding transaction (pg_advisory_xact_lock, released at its end). */
export async function lockUserLoads(
  connection: DatabaseTransactionConnection,
  userId: string,
): Promise<void> {
  try {
    // One statement: the CTE sets the wait bound for this transaction before the lock is asked (set_config is
    // volatile, so the CTE is evaluated once, first, and never inlined into the select).
    await connection.query(sql.type(noRows)`
      with bounded as (select set_config('lock_timeout', ${`${cardLoadLockWaitMs}ms`}, true))
      select pg_advisory_xact_lock(hashtextextended(${cardLoadLockName(userId)}, 0)) from bounded`);
  } catch (error) {
    if (!isLockTimeout(error)) throw error;
    throw new AppError('unavailable', "the user's other loads are still being made; try again", {
      reason: 'loads_busy',
      cause: error,
    });
  }
}

export async function usageOf(connection: CommonQueryMethods, input: UsageInput): Promise<CardLoadUsage> {
  // Without a card (the user's view of the limits), nothing is on its way to "the" card.
  const cardId = input.cardId ?? '';
  // Null when no balance was read: `loaded_at >= null` is never true, so only holding and loading loads count.
  const postedSince = input.cardPostedReadAt?.toISOString() ?? null;
  const sums = await connection.one(sql.type(sumsRow)`
    select
      coalesce(sum(amount_usd_minor) filter (where created_at >= ${input.dayStart.toISOString()}::timestamptz), 0)::int8
        as today,
      coalesce(sum(amount_usd_minor), 0)::int8 as month,
      coalesce(sum(amount_usd_minor) filter (where card_id = ${cardId} and (status in ('holding', 'loading')
        or (status = 'loaded' and loaded_at >= ${postedSince}::timestamptz))), 0)::int8 as on_the_way
    from card_load
    where user_id = ${input.userId} and status <> 'failed'
      and created_at >= ${input.monthStart.toISOString()}::timestamptz`);
  return {
    loadedToday: moneyFromMinor(sums.today, USD),
    loadedThisMonth: moneyFromMinor(sums.month, USD),
    onTheWayToCard: moneyFromMinor(sums.on_the_way, USD),
  };
}
