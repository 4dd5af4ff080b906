// card: which card belongs to whom, its provider token once issued, its last four digits (never the number or CVV),
// whether deposits continue into it, and a freeze or unfreeze the user asked for that is on its way to the provider.
import { sql, type DatabasePool } from '@cardgate/db';
import { AppError } from '@cardgate/errors';
import { z } from 'zod';

const cardRow = z.object({
  id: z.string(),
  user_id: z.string(),
  state: z.string(),
  provider_token: z.string().nullable(),
  last_four: z.string().nullable(),
  auto_load: z.boolean(),
  requested_state: z.enum(['OPEN', 'PAUSED']).nullable(),
  created_at: z.string(),
});
const cardColumns = sql.fragment`id, user_id, state, provider_token, last_four, auto_load, requested_state,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at`;
const idRow = z.object({ id: z.string() });
const noRows = z.object({});
/** Bound on one user's cards read at once (a user holds a handful). */
export const cardsPerUserMax = 50;

export interface Card {
  readonly id: string;
  readonly userId: string;
  /** issuing, OPEN, PAUSED, CLOSED or failed. */
  readonly state: string;
  readonly providerToken: string | null;
  readonly lastFour: string | null;
  readonly autoLoad: boolean;
  /** A freeze (PAUSED) or unfreeze (OPEN) on its way to the provider. */
  readonly requestedState: 'OPEN' | 'PAUSED' | null;
  /** ISO 8601, microseconds: the list's cursor. */
  readonly createdAt: string;
}

const cardOf = (row: z.infer<typeof cardRow>): Card => ({
  id: row.id,
  userId: row.user_id,
  state: row.state,
  providerToken: row.provider_token,
  lastFour: row.last_four,
  autoLoad: row.auto_load,
  requestedState: row.requested_state,
  createdAt: row.created_at,
});

/** Cards of one user on one page, at most. */
export const cardPageMax = 100;

/** A freeze or unfreeze whose workflow never recorded its outcome stops blocking the other direction after this. */
export const requestedStateStaleMs = 10 * 60_000;

export function createCardTable(pool: DatabasePool) {
  return {
    /** Records the card as issuing (once: a repeat finds the row) and answers the stored row. */
    async beginIssue(input: { cardId: string; userId: string }): Promise<Card> {
      await pool.query(sql.type(noRows)`
        insert into card (id, user_id, auto_load) values (${input.cardId}, ${input.userId}, false)
        on conflict (id) do nothing`);
      return cardOf(
        await pool.one(sql.type(cardRow)`select ${cardColumns} from card where id = ${input.cardId}`),
      );
    },

    async byId(cardId: string): Promise<Card | null> {
      const row = await pool.maybeOne(
        sql.type(cardRow)`select ${cardColumns} from card where id = ${cardId}`,
      );
      return row ? cardOf(row) : null;
    },

    /** The user's card, or null when it does not exist or is another user's (the API answers both alike). */
    async ofUser(userId: string, cardId: string): Promise<Card | null> {
      const row = await pool.maybeOne(
        sql.type(cardRow)`select ${cardColumns} from card where id = ${cardId} and user_id = ${userId}`,
      );
      return row ? cardOf(row) : null;
    },

    /** The user's cards, newest first, `limit` (at most cardPageMax) after the cursor (a card's createdAt and id). */
    async listOfUser(
      userId: string,
      page: { limit: number; after?: { createdAt: string; id: string } },
    ): Promise<Card[]> {
      const limit = Math.max(1, Math.min(page.limit, cardPageMax));
      const after = page.after
        ? sql.fragment`and (created_at, id) < (${page.after.createdAt}::timestamptz, ${page.after.id})`
        : sql.fragment``;
      const rows = await pool.any(sql.type(cardRow)`
        select ${cardColumns} from card where user_id = ${userId} ${after}
        order by created_at desc, id desc limit ${limit}`);
      return rows.map(cardOf);
    },

    /**
     * Turns auto-load on or off for the user's card. On: the user's other cards lose it in the same transaction (a
     * deposit continues into at most one card; a unique index holds it too). Only an open or paused card may take it.
     * Answers the card, or null when it is not the user's.
     */
    async setAutoLoad(input: { userId: string; cardId: string; autoLoad: boolean }): Promise<Card | null> {
      return pool.transaction(async (connection) => {
        // The user's cards are locked in id order first, so two concurrent switches cannot deadlock.
        await connection.query(sql.type(noRows)`
          select id from card where user_id = ${input.userId} order by id for update`);
        const row = await connection.maybeOne(sql.type(cardRow)`
          select ${cardColumns} from card where id = ${input.cardId} and user_id = ${input.userId}`);
        if (!row) return null;
        if (input.autoLoad && !['OPEN', 'PAUSED'].includes(row.state))
          throw new AppError('conflict', `card ${input.cardId} is ${row.state}: it cannot take deposits`, {
            reason: 'card_not_open',
          });
        if (input.autoLoad)
          await connection.query(sql.type(noRows)`
            update card set auto_load = false where user_id = ${input.userId} and auto_load and id <> ${input.cardId}`);
        return cardOf(
          await connection.one(sql.type(cardRow)`
            update card set auto_load = ${input.autoLoad} where id = ${input.cardId}
            returning ${cardColumns}`),
        );
      });
    },

    /**
     * Records that the user asked for `state` (PAUSED: freeze, OPEN: unfreeze) before the workflow takes it to the
     * provider. One direction at a time: while the other is on its way (and not stale), this is a conflict, so a
     * freeze and an unfreeze can never overtake each other at the provider. Null when the card is not the user's.
     */
    async requestState(input: {
      userId: string;
      cardId: string;
      state: 'OPEN' | 'PAUSED';
    }): Promise<Card | null> {
      return pool.transaction(async (connection) => {
        const row = await connection.maybeOne(sql.type(cardRow)`
          select ${cardColumns} from card where id = ${input.cardId} and user_id = ${input.userId} for update`);
        if (!row) return null;
        if (!['OPEN', 'PAUSED'].includes(row.state))
          throw new AppError('conflict', `card ${input.cardId} is ${row.state}`, { reason: 'card_not_open' });
        const updated = await connection.maybeOne(sql.type(cardRow)`
          update card set requested_state = ${input.state}, requested_state_at = now()
          where id = ${input.cardId} and (requested_state is null or requested_state = ${input.state}
            or requested_state_at < now() - make_interval(secs => ${requestedStateStaleMs / 1000}))
          returning ${cardColumns}`);
        if (!updated)
          throw new AppError('conflict', `card ${input.cardId} is still changing to ${row.requested_state}`, {
            reason: 'card_state_change_in_progress',
          });
        return cardOf(updated);
      });
    },

    /** The provider holds the card in `state`: record it and end the request for it (if it is the one asked). */
    async recordState(input: { cardId: string; state: 'OPEN' | 'PAUSED' }): Promise<void> {
      await pool.query(sql.type(noRows)`
        update card set state = ${input.state},
          requested_state = case when requested_state = ${input.state} then null else requested_state end,
          requested_state_at = case when requested_state = ${input.state} then null else requested_state_at end
        where id = ${input.cardId} and state in ('OPEN', 'PAUSED')`);
    },

    /** The provider refused the change for good: the request ends and the state stays as it was. */
    async abandonRequestedState(input: { cardId: string; state: 'OPEN' | 'PAUSED' }): Promise<void> {
      await pool.query(sql.type(noRows)`
        update card set requested_state = null, requested_state_at = null
        where id = ${input.cardId} and requested_state = ${input.state}`);
    },

    /** The last four digits the provider reported when it created the card (the number itself never comes here). */
    async recordLastFour(input: { cardId: string; lastFour: string }): Promise<void> {
      await pool.query(sql.type(noRows)`
        update card set last_four = ${input.lastFour} where id = ${input.cardId} and last_four is null`);
    },

    /** The card with this provider token; an unknown token is an error (the provider spoke of a card not ours). */
    async byProviderToken(providerToken: string): Promise<Card> {
      const row = await pool.maybeOne(sql.type(cardRow)`
        select ${cardColumns} from card where provider_token = ${providerToken}`);
      if (!row)
        throw new AppError('not_found', `no card has provider token ${providerToken}`, {
          reason: 'unknown_card',
        });
      return cardOf(row);
    },

    /** Opens the issued card; with auto-load, it becomes the one card the user's deposits continue into. */
    async open(input: {
      cardId: string;
      userId: string;
      providerToken: string;
      ledgerAccountId: bigint;
      autoLoad: boolean;
    }): Promise<void> {
      await pool.transaction(async (connection) => {
        if (input.autoLoad)
          await connection.query(sql.type(noRows)`
            update card set auto_load = false where user_id = ${input.userId} and auto_load and id <> ${input.cardId}`);
        await connection.query(sql.type(noRows)`
          update card set state = 'OPEN', provider_token = ${input.providerToken}, ledger_account_id = ${input.ledgerAccountId},
            auto_load = ${input.autoLoad}, issued_at = coalesce(issued_at, now())
          where id = ${input.cardId} and state in ('issuing', 'OPEN')`);
      });
    },

    async markFailed(cardId: string): Promise<void> {
      await pool.query(
        sql.type(noRows)`update card set state = 'failed' where id = ${cardId} and state = 'issuing'`,
      );
    },

    /** The open card a user's deposits continue into, if the user set auto-load. */
    async autoLoadCardOf(userId: string): Promise<string | null> {
      return pool.maybeOneFirst(sql.type(idRow)`
        select id from card where user_id = ${userId} and auto_load and state = 'OPEN'`);
    },
  };
}

export type CardTable = ReturnType<typeof createCardTable>;
