// card_quote (0014_card_quotes.sql): the quotes users ask for before loading a card, each used by at most one load.
// Binding a quote to its load is one transaction, serialized per user by an advisory lock: the quote is checked
// (the user's, this card's, unused, unexpired), what the user loaded today and this month and what the card has on its
// way are summed, the caller's limit check runs on those sums, and the load is inserted with exactly the quote's
// figures and recorded as the quote's user. Two loads of one user therefore never both pass a limit.
import { sql, type DatabasePool } from '@cardgate/db';
import type { CardLoadQuote } from '@cardgate/domain';
import { AppError } from '@cardgate/errors';
import { moneyFromMinor, USD, USDT } from '@cardgate/money';
import { z } from 'zod';
import { cardLoadInsert, readCardLoad, type StoredCardLoad } from './card-loads.ts';
import { lockUserLoads, usageOf, type CardLoadUsage, type UsageInput } from './card-load-usage.ts';

const quoteRow = z.object({
  id: z.string(),
  user_id: z.string(),
  card_id: z.string(),
  amount_usdt_minor: z.bigint(),
  rate: z.string(),
  spread_basis_points: z.number(),
  gross_usd_minor: z.bigint(),
  spread_usd_minor: z.bigint(),
  fee_usd_minor: z.bigint(),
  net_usd_minor: z.bigint(),
  config_version: z.string(),
  quoted_at: z.string(),
  expires_at: z.string(),
  load_id: z.string().nullable(),
  load_idempotency_key: z.string().nullable(),
});
const quoteColumns = sql.fragment`id, user_id, card_id, amount_usdt_minor, rate, spread_basis_points, gross_usd_minor,
  spread_usd_minor, fee_usd_minor, net_usd_minor, config_version, load_id, load_idempotency_key,
  to_char(quoted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as quoted_at,
  to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as expires_at`;

// Row schemas are built once, at module load: zod compiles a parser for each object schema it first parses (measured: a
// schema built and first parsed per call costs about 97 µs, a reused one 0.08 µs).
const clockRow = z.object({ now: z.string() });
const insertedAndBoundRow = z.object({ inserted: z.number(), bound: z.number() });

export interface StoredCardQuote {
  readonly quoteId: string;
  readonly userId: string;
  readonly cardId: string;
  readonly quote: CardLoadQuote;
  readonly expiresAt: Date;
  /** The load that used the quote, once one did. */
  readonly loadId: string | null;
  readonly loadIdempotencyKey: string | null;
}

function quoteOf(row: z.infer<typeof quoteRow>): StoredCardQuote {
  const usd = (minor: bigint) => moneyFromMinor(minor, USD);
  return {
    quoteId: row.id,
    userId: row.user_id,
    cardId: row.card_id,
    quote: {
      amount: moneyFromMinor(row.amount_usdt_minor, USDT),
      rate: row.rate,
      spreadBasisPoints: BigInt(row.spread_basis_points),
      gross: usd(row.gross_usd_minor),
      spread: usd(row.spread_usd_minor),
      fee: usd(row.fee_usd_minor),
      net: usd(row.net_usd_minor),
      quotedAt: new Date(row.quoted_at),
      configVersion: row.config_version,
    },
    expiresAt: new Date(row.expires_at),
    loadId: row.load_id,
    loadIdempotencyKey: row.load_idempotency_key,
  };
}

export type BindOutcome =
  /** The quote is now the load's (or was already, by this same request's earlier run): continue the load. */
  | { readonly kind: 'bound'; readonly load: StoredCardLoad; readonly quote: StoredCardQuote }
  /** Another request used the quote; its load is answered so the caller can make sure it goes on. */
  | { readonly kind: 'used'; readonly load: StoredCardLoad; readonly quote: StoredCardQuote };

export function createCardQuoteTable(pool: DatabasePool) {
  return {
    async create(input: {
      quoteId: string;
      userId: string;
      cardId: string;
      quote: CardLoadQuote;
      expiresAt: Date;
    }): Promise<StoredCardQuote> {
      const { quote } = input;
      const row = await pool.one(sql.type(quoteRow)`
        insert into card_quote (id, user_id, card_id, amount_usdt_minor, rate, spread_basis_points, gross_usd_minor,
          spread_usd_minor, fee_usd_minor, net_usd_minor, config_version, quoted_at, expires_at)
        values (${input.quoteId}, ${input.userId}, ${input.cardId}, ${quote.amount.minor}, ${quote.rate},
          ${Number(quote.spreadBasisPoints)}, ${quote.gross.minor}, ${quote.spread.minor}, ${quote.fee.minor},
          ${quote.net.minor}, ${quote.configVersion}, ${quote.quotedAt.toISOString()}::timestamptz,
          ${input.expiresAt.toISOString()}::timestamptz)
        returning ${quoteColumns}`);
      return quoteOf(row);
    },

    /** The user's quote, or null when it does not exist or is another user's (the API answers both alike). */
    async ofUser(userId: string, quoteId: string): Promise<StoredCardQuote | null> {
      const row = await pool.maybeOne(sql.type(quoteRow)`
        select ${quoteColumns} from card_quote where id = ${quoteId} and user_id = ${userId}`);
      return row ? quoteOf(row) : null;
    },

    /**
     * What counts against the limits for a quote (no lock: the load checks again under the lock). The card's loads
     * on their way are this card's only.
     */
    async usage(input: UsageInput): Promise<CardLoadUsage> {
      // One statement sees one snapshot: no transaction around it (it cost a BEGIN and a COMMIT per quote).
      return usageOf(pool, input);
    },

    /** The database's clock now: taken before reading a card's posted balance (UsageInput.cardPostedReadAt). */
    async databaseNow(): Promise<Date> {
      return new Date(
        await pool.oneFirst(sql.type(clockRow)`
          select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as now`),
      );
    },

    /**
     * Binds the user's quote to the load `loadId` made by the request with `idempotencyKey`, in one transaction under
     * the user's lock. `checkLimits` runs on the usage summed under that lock and throws to refuse (nothing is then
     * written). Refusals: not the user's quote (404 quote_not_found), another card's quote (422), expired (409).
     */
    async bindToLoad(input: {
      userId: string;
      cardId: string;
      quoteId: string;
      loadId: string;
      idempotencyKey: string;
      now: Date;
      dayStart: Date;
      monthStart: Date;
      cardPostedReadAt: Date;
      /** Throws to refuse; runs inside the transaction, so it may not use the pool (the ledger is read before). */
      checkLimits: (usage: CardLoadUsage, quote: StoredCardQuote) => void;
    }): Promise<BindOutcome> {
      return pool.transaction(async (connection) => {
        await lockUserLoads(connection, input.userId);
        const row = await connection.maybeOne(sql.type(quoteRow)`
          select ${quoteColumns} from card_quote where id = ${input.quoteId} and user_id = ${input.userId} for update`);
        if (!row)
          throw new AppError('not_found', `quote ${input.quoteId} does not exist`, {
            reason: 'quote_not_found',
          });
        const quote = quoteOf(row);
        if (quote.cardId !== input.cardId)
          throw new AppError('rule_violation', `quote ${input.quoteId} is for another card`, {
            reason: 'quote_for_other_card',
          });
        if (quote.loadId !== null) {
          const load = await readCardLoad(connection, quote.loadId);
          if (!load)
            throw new Error(`quote ${quote.quoteId} names load ${quote.loadId}, which does not exist`);
          return { kind: quote.loadIdempotencyKey === input.idempotencyKey ? 'bound' : 'used', load, quote };
        }
        if (quote.expiresAt.getTime() <= input.now.getTime())
          throw new AppError(
            'conflict',
            `quote ${input.quoteId} expired at ${quote.expiresAt.toISOString()}`,
            {
              reason: 'quote_expired',
              details: { expiresAt: quote.expiresAt.toISOString() },
            },
          );
        input.checkLimits(await usageOf(connection, input), quote);
        const made = {
          loadId: input.loadId,
          cardId: input.cardId,
          userId: input.userId,
          quote: quote.quote,
        };
        // One statement inserts the load and binds the quote to it (a round trip less under the user's lock).
        const written = await connection.one(sql.type(insertedAndBoundRow)`
          with inserted as (${cardLoadInsert(made)} returning id),
          bound as (
            update card_quote set load_id = ${input.loadId}, load_idempotency_key = ${input.idempotencyKey},
              used_at = now()
            where id = ${input.quoteId} and load_id is null and exists (select 1 from inserted)
            returning id)
          select (select count(*) from inserted)::int4 as inserted, (select count(*) from bound)::int4 as bound`);
        if (written.inserted !== 1 || written.bound !== 1)
          throw new AppError('conflict', `card load ${input.loadId} exists already`, {
            reason: 'load_id_taken',
          });
        const load: StoredCardLoad = {
          loadId: input.loadId,
          cardId: input.cardId,
          userId: input.userId,
          amount: quote.quote.amount,
          status: 'holding',
          net: quote.quote.net,
          rate: quote.quote.rate,
          quote: quote.quote,
        };
        return {
          kind: 'bound',
          load,
          quote: { ...quote, loadId: input.loadId, loadIdempotencyKey: input.idempotencyKey },
        };
      });
    },
  };
}

export type CardQuoteTable = ReturnType<typeof createCardQuoteTable>;
