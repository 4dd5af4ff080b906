// card: which card belongs to whom, its provider token once issued, and whether deposits continue into it.
import { sql, type DatabasePool } from '@cardgate/db';
import { AppError } from '@cardgate/errors';
import { z } from 'zod';

const cardRow = z.object({
  id: z.string(),
  user_id: z.string(),
  state: z.string(),
  provider_token: z.string().nullable(),
});
const idRow = z.object({ id: z.string() });
const noRows = z.object({});
/** Bound on one user's cards read at once (a user holds a handful). */
export const cardsPerUserMax = 50;

export interface Card {
  readonly id: string;
  readonly userId: string;
  readonly state: string;
  readonly providerToken: string | null;
}

const cardOf = (row: z.infer<typeof cardRow>): Card => ({
  id: row.id,
  userId: row.user_id,
  state: row.state,
  providerToken: row.provider_token,
});

export function createCardTable(pool: DatabasePool) {
  return {
    /** Records the card as issuing (once: a repeat finds the row) and answers the stored row. */
    async beginIssue(input: { cardId: string; userId: string }): Promise<Card> {
      await pool.query(sql.type(noRows)`
        insert into card (id, user_id, auto_load) values (${input.cardId}, ${input.userId}, false)
        on conflict (id) do nothing`);
      return cardOf(
        await pool.one(
          sql.type(cardRow)`select id, user_id, state, provider_token from card where id = ${input.cardId}`,
        ),
      );
    },

    async byId(cardId: string): Promise<Card | null> {
      const row = await pool.maybeOne(
        sql.type(cardRow)`select id, user_id, state, provider_token from card where id = ${cardId}`,
      );
      return row ? cardOf(row) : null;
    },

    /** The card with this provider token; an unknown token is an error (the provider spoke of a card not ours). */
    async byProviderToken(providerToken: string): Promise<Card> {
      const row = await pool.maybeOne(sql.type(cardRow)`
        select id, user_id, state, provider_token from card where provider_token = ${providerToken}`);
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

    /** The user's issued cards (open or paused; not closed or failed), oldest first; at most `cardsPerUserMax`. */
    async issuedOfUser(userId: string): Promise<Card[]> {
      const rows = await pool.any(sql.type(cardRow)`
        select id, user_id, state, provider_token from card
        where user_id = ${userId} and state in ('OPEN', 'PAUSED')
        order by created_at, id limit ${cardsPerUserMax}`);
      return rows.map(cardOf);
    },

    /** The open card a user's deposits continue into, if the user set auto-load. */
    async autoLoadCardOf(userId: string): Promise<string | null> {
      return pool.maybeOneFirst(sql.type(idRow)`
        select id from card where user_id = ${userId} and auto_load and state = 'OPEN'`);
    },
  };
}

export type CardTable = ReturnType<typeof createCardTable>;
