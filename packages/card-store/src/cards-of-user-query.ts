// A user's cards as a query another module composes with its own into one statement (the balances read joins them to
// the ledger's accounts in one round trip). It names only the card table; its columns are prefixed `card_` so they
// never collide with the other side's.
import { sql, type FragmentSqlToken } from '@cardgate/db';
import { z } from 'zod';

/** Bound on one user's cards a read returns (a user holds a handful). */
export const cardsOfUserMax = 50;

export const cardOfUserRow = z.object({
  card_id: z.string(),
  card_state: z.enum(['issuing', 'OPEN', 'PAUSED', 'CLOSED', 'failed']),
  card_ledger_account_id: z.bigint().nullable(),
  card_auto_load: z.boolean(),
});

export type CardOfUserRow = z.infer<typeof cardOfUserRow>;

/**
 * The user's cards, oldest first, by the card_user index; the columns of `cardOfUserRow`. `userId` is a value, or a
 * column of the composing statement (a lateral join reading many users at once).
 */
export function cardsOfUserQuery(userId: string | FragmentSqlToken) {
  return sql.fragment`select id as card_id, state as card_state, ledger_account_id as card_ledger_account_id,
      auto_load as card_auto_load
    from card where user_id = ${userId} order by created_at, id limit ${cardsOfUserMax}`;
}
