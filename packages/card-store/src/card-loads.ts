// card_load: one row per card load, made with its whole quote (0010_card_load_quote.sql) and moved through
// holding → loading → loaded | failed. The `holding` status is stored data and keeps its name: in code it is the
// state in which the load's USDT is a pending debit of the wallet.
import { sql, type CommonQueryMethods, type DatabasePool } from '@cardgate/db';
import type { CardLoadQuote } from '@cardgate/domain';
import { AppError } from '@cardgate/errors';
import { moneyFromMinor, USD, USDT, type Money } from '@cardgate/money';
import { z } from 'zod';
import { lockUserLoads, usageOf, type CardLoadUsage } from './card-load-usage.ts';

const loadRow = z.object({
  id: z.string(),
  card_id: z.string(),
  user_id: z.string(),
  amount_usdt_minor: z.bigint(),
  amount_usd_minor: z.bigint().nullable(),
  rate: z.string().nullable(),
  status: z.enum(['holding', 'loading', 'loaded', 'failed']),
  gross_usd_minor: z.bigint().nullable(),
  spread_usd_minor: z.bigint().nullable(),
  fee_usd_minor: z.bigint().nullable(),
  spread_basis_points: z.number().nullable(),
  quoted_at: z.string().nullable(),
  quote_config_version: z.string().nullable(),
});
const noRows = z.object({});
const unfinishedRow = z.object({
  id: z.string(),
  user_id: z.string(),
  card_id: z.string(),
  amount_usdt_minor: z.bigint(),
  status: z.enum(['holding', 'loading']),
  created_at: z.string(),
});

/** A load not yet loaded or failed, as the sweep that resumes it reads it. */
export interface UnfinishedCardLoad {
  readonly loadId: string;
  readonly userId: string;
  readonly cardId: string;
  readonly amount: Money;
  readonly status: 'holding' | 'loading';
  readonly createdAt: Date;
}

export interface StoredCardLoad {
  readonly loadId: string;
  readonly cardId: string;
  readonly userId: string;
  readonly amount: Money;
  readonly status: z.infer<typeof loadRow>['status'];
  /** The net USD the card receives (stored by every load, also those made before quotes were stored whole). */
  readonly net: Money | null;
  readonly rate: string | null;
  /** The whole quote; null for a load made before 0010. */
  readonly quote: CardLoadQuote | null;
}

/** The stored quote, when the load has the whole of it (every load made since 0010). */
function quoteOf(row: z.infer<typeof loadRow>, amount: Money): CardLoadQuote | null {
  const {
    rate,
    amount_usd_minor: net,
    gross_usd_minor: gross,
    spread_usd_minor: spread,
    fee_usd_minor: fee,
    spread_basis_points: spreadBasisPoints,
    quoted_at: quotedAt,
    quote_config_version: configVersion,
  } = row;
  if (
    rate === null ||
    net === null ||
    gross === null ||
    spread === null ||
    fee === null ||
    spreadBasisPoints === null ||
    quotedAt === null ||
    configVersion === null
  )
    return null;
  const usd = (minor: bigint) => moneyFromMinor(minor, USD);
  return {
    amount,
    rate,
    spreadBasisPoints: BigInt(spreadBasisPoints),
    gross: usd(gross),
    spread: usd(spread),
    fee: usd(fee),
    net: usd(net),
    quotedAt: new Date(quotedAt),
    configVersion,
  };
}

function loadOf(row: z.infer<typeof loadRow>): StoredCardLoad {
  const amount = moneyFromMinor(row.amount_usdt_minor, USDT);
  return {
    loadId: row.id,
    cardId: row.card_id,
    userId: row.user_id,
    amount,
    status: row.status,
    net: row.amount_usd_minor === null ? null : moneyFromMinor(row.amount_usd_minor, USD),
    rate: row.rate,
    quote: quoteOf(row, amount),
  };
}

const loadColumns = sql.fragment`id, card_id, user_id, amount_usdt_minor, amount_usd_minor, rate, status,
  gross_usd_minor, spread_usd_minor, fee_usd_minor, spread_basis_points, quote_config_version,
  to_char(quoted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as quoted_at`;

/** Reads one load on `connection` (the pool, or a transaction of this module's). */
export async function readCardLoad(
  connection: CommonQueryMethods,
  loadId: string,
): Promise<StoredCardLoad | null> {
  const row = await connection.maybeOne(
    sql.type(loadRow)`select ${loadColumns} from card_load where id = ${loadId}`,
  );
  return row ? loadOf(row) : null;
}

/** Inserts the load with its quote on `connection`, once: a repeat of the same id changes nothing. */
/** The insert of a load with its quote, once by id (`on conflict do nothing`), as a fragment to run or compose. */
export function cardLoadInsert(input: {
  loadId: string;
  cardId: string;
  userId: string;
  quote: CardLoadQuote;
}) {
  const { quote } = input;
  return sql.fragment`
    insert into card_load (id, card_id, user_id, amount_usdt_minor, amount_usd_minor, rate, status,
      gross_usd_minor, spread_usd_minor, fee_usd_minor, spread_basis_points, quoted_at, quote_config_version)
    values (${input.loadId}, ${input.cardId}, ${input.userId}, ${quote.amount.minor}, ${quote.net.minor},
      ${quote.rate}, 'holding', ${quote.gross.minor}, ${quote.spread.minor}, ${quote.fee.minor},
      ${Number(quote.spreadBasisPoints)}, ${quote.quotedAt.toISOString()}::timestamptz, ${quote.configVersion})
    on conflict (id) do nothing`;
}

/** Inserts the load with its quote on `connection`, once: a repeat of the same id changes nothing. */
export async function insertCardLoad(
  connection: CommonQueryMethods,
  input: { loadId: string; cardId: string; userId: string; quote: CardLoadQuote },
): Promise<void> {
  await connection.query(sql.type(noRows)`${cardLoadInsert(input)}`);
}

export function createCardLoadTable(pool: DatabasePool) {
  async function byId(loadId: string): Promise<StoredCardLoad> {
    const load = await readCardLoad(pool, loadId);
    if (!load)
      throw new AppError('not_found', `card load ${loadId} does not exist`, { reason: 'load_not_found' });
    return load;
  }

  return {
    byId,

    /**
     * Makes the load with its quote. The first quote is the one that counts: a repeat (a retry of the step) finds
     * the stored load and answers it, quote included; a load id taken by another load is a conflict.
     */
    async create(input: {
      loadId: string;
      cardId: string;
      userId: string;
      quote: CardLoadQuote;
    }): Promise<StoredCardLoad> {
      const { quote } = input;
      await insertCardLoad(pool, input);
      const stored = await byId(input.loadId);
      if (stored.amount.minor !== quote.amount.minor || stored.cardId !== input.cardId)
        throw new AppError('conflict', `card load ${input.loadId} exists with other fields`, {
          reason: 'load_id_taken',
        });
      return stored;
    },

    /**
     * Makes a load that has no quote bound to it (the worker's auto-load) the way a quote's load is made: under the
     * user's loading lock, `checkLimits` runs on the usage summed there and throws to refuse (nothing is written). A
     * load already made (a retry, or one the API bound to a quote) is answered as it is, not checked again.
     */
    async createWithinLimits(input: {
      loadId: string;
      cardId: string;
      userId: string;
      quote: CardLoadQuote;
      dayStart: Date;
      monthStart: Date;
      cardPostedReadAt: Date;
      /** Throws to refuse; runs inside the transaction, so it may not use the pool (the ledger is read before). */
      checkLimits: (usage: CardLoadUsage) => void;
    }): Promise<StoredCardLoad> {
      const stored = await pool.transaction(async (connection) => {
        await lockUserLoads(connection, input.userId);
        const existing = await readCardLoad(connection, input.loadId);
        if (existing) return existing;
        input.checkLimits(await usageOf(connection, input));
        await insertCardLoad(connection, input);
        return readCardLoad(connection, input.loadId);
      });
      if (!stored || stored.amount.minor !== input.quote.amount.minor || stored.cardId !== input.cardId)
        throw new AppError('conflict', `card load ${input.loadId} exists with other fields`, {
          reason: 'load_id_taken',
        });
      return stored;
    },

    /**
     * Loads left unfinished (`holding` or `loading`) made before `before`, oldest first, at most `limit`, after the
     * page cursor `after` (the last load of the previous page): what the card load sweep resumes.
     */
    async unfinishedBefore(input: {
      before: Date;
      limit: number;
      after?: { createdAt: Date; loadId: string };
    }): Promise<UnfinishedCardLoad[]> {
      const afterCreatedAt = input.after?.createdAt.toISOString() ?? null;
      const afterId = input.after?.loadId ?? '';
      const rows = await pool.any(sql.type(unfinishedRow)`
        select id, user_id, card_id, amount_usdt_minor, status,
          to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
        from card_load
        where status in ('holding', 'loading') and created_at < ${input.before.toISOString()}::timestamptz
          and (${afterCreatedAt}::timestamptz is null or (created_at, id) > (${afterCreatedAt}::timestamptz, ${afterId}))
        order by created_at, id
        limit ${input.limit}`);
      return rows.map((row) => ({
        loadId: row.id,
        userId: row.user_id,
        cardId: row.card_id,
        amount: moneyFromMinor(row.amount_usdt_minor, USDT),
        status: row.status,
        createdAt: new Date(row.created_at),
      }));
    },

    /** The user's load, or null when it does not exist or is another user's. */
    async ofUser(userId: string, loadId: string): Promise<StoredCardLoad | null> {
      const load = await readCardLoad(pool, loadId);
      return load && load.userId === userId ? load : null;
    },

    async markLoading(loadId: string): Promise<void> {
      await pool.query(
        sql.type(noRows)`update card_load set status = 'loading' where id = ${loadId} and status = 'holding'`,
      );
    },

    async markLoaded(loadId: string, providerLoadToken: string): Promise<void> {
      await pool.query(sql.type(noRows)`
        update card_load set status = 'loaded', provider_load_token = ${providerLoadToken},
          loaded_at = coalesce(loaded_at, now())
        where id = ${loadId} and status <> 'loaded'`);
    },

    async markFailed(loadId: string, reason: string): Promise<void> {
      await pool.query(sql.type(noRows)`
        update card_load set status = 'failed', failure_reason = ${reason.slice(0, 200)}
        where id = ${loadId} and status <> 'loaded'`);
    },
  };
}

export type CardLoadTable = ReturnType<typeof createCardLoadTable>;
