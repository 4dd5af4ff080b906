// The owner of app_user: the only module that reads or writes it. A Telegram user's first valid sign-in creates the
// Cardgate user (a stable id of Cardgate's own); later sign-ins update the Telegram profile fields only when one
// changed, so a sign-in with an unchanged profile writes nothing.
import { sql, type DatabasePool } from '@cardgate/db';
import { AppError } from '@cardgate/errors';
import { randomId } from '@cardgate/ids';
import { z } from 'zod';

/** What Telegram says of its user in a Mini App's initData (snake_case names as Telegram sends them, camelCased). */
export interface TelegramProfile {
  readonly telegramUserId: number;
  readonly firstName: string;
  readonly lastName?: string | undefined;
  readonly username?: string | undefined;
  readonly languageCode?: string | undefined;
  readonly isPremium?: boolean | undefined;
  readonly photoUrl?: string | undefined;
}

export interface User {
  readonly id: string;
  readonly telegramUserId: number;
  readonly firstName: string;
  readonly lastName: string | null;
  readonly username: string | null;
  readonly languageCode: string | null;
  readonly isPremium: boolean;
  readonly photoUrl: string | null;
  /** When the bot found it may not write to this user; null while it may. */
  readonly botBlockedAt: Date | null;
  readonly createdAt: Date;
}

const userRow = z.object({
  id: z.string(),
  telegram_user_id: z.bigint(),
  first_name: z.string(),
  last_name: z.string().nullable(),
  username: z.string().nullable(),
  language_code: z.string().nullable(),
  is_premium: z.boolean(),
  photo_url: z.string().nullable(),
  bot_blocked_at: z.string().nullable(),
  created_at: z.string(),
});
const noRows = z.object({});
const userColumns = sql.fragment`id, telegram_user_id, first_name, last_name, username, language_code, is_premium,
  photo_url, to_char(bot_blocked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as bot_blocked_at,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at`;
/** Telegram user ids fit in 52 bits; anything else is not a Telegram user id. */
const telegramUserIdMax = Number.MAX_SAFE_INTEGER;
/** Bound on one page of users (operator listings). */
export const userPageMax = 200;

function userOf(row: z.infer<typeof userRow>): User {
  return {
    id: row.id,
    telegramUserId: Number(row.telegram_user_id),
    firstName: row.first_name,
    lastName: row.last_name,
    username: row.username,
    languageCode: row.language_code,
    isPremium: row.is_premium,
    photoUrl: row.photo_url,
    botBlockedAt: row.bot_blocked_at === null ? null : new Date(row.bot_blocked_at),
    createdAt: new Date(row.created_at),
  };
}

function checkProfile(profile: TelegramProfile): void {
  const id = profile.telegramUserId;
  if (!Number.isSafeInteger(id) || id <= 0 || id > telegramUserIdMax)
    throw new AppError('invalid_input', 'the Telegram user id is not valid', {
      reason: 'invalid_telegram_user',
    });
  if (profile.firstName.length > 256 || (profile.lastName?.length ?? 0) > 256)
    throw new AppError('invalid_input', 'the Telegram name is too long', { reason: 'invalid_telegram_user' });
}

export function createUserStore(pool: DatabasePool) {
  return {
    /**
     * The Cardgate user of this Telegram user: created on the first call, its profile fields updated when Telegram
     * sends other values. One statement; two first sign-ins at once create one user.
     */
    async signIn(profile: TelegramProfile): Promise<User> {
      checkProfile(profile);
      const row = await pool.maybeOne(sql.type(userRow)`
        with upserted as (
          insert into app_user (id, telegram_user_id, first_name, last_name, username, language_code, is_premium,
            photo_url)
          values (${randomId('usr')}, ${profile.telegramUserId}, ${profile.firstName}, ${profile.lastName ?? null},
            ${profile.username ?? null}, ${profile.languageCode ?? null}, ${profile.isPremium ?? false},
            ${profile.photoUrl ?? null})
          on conflict (telegram_user_id) do update set
            first_name = excluded.first_name, last_name = excluded.last_name, username = excluded.username,
            language_code = excluded.language_code, is_premium = excluded.is_premium, photo_url = excluded.photo_url,
            updated_at = now()
          where (app_user.first_name, app_user.last_name, app_user.username, app_user.language_code,
              app_user.is_premium, app_user.photo_url)
            is distinct from (excluded.first_name, excluded.last_name, excluded.username, excluded.language_code,
              excluded.is_premium, excluded.photo_url)
          returning ${userColumns}
        )
        select * from upserted
        union all
        select ${userColumns} from app_user
        where telegram_user_id = ${profile.telegramUserId} and not exists (select 1 from upserted)`);
      if (row) return userOf(row);
      // No row: another first sign-in of this user inserted it and committed while this statement waited on it. The
      // insert then met the conflict and left the unchanged row alone, and the select saw the snapshot taken when the
      // statement began, before that commit. A new statement sees the committed row.
      return userOf(
        await pool.one(sql.type(userRow)`
          select ${userColumns} from app_user where telegram_user_id = ${profile.telegramUserId}`),
      );
    },

    async byId(userId: string): Promise<User | null> {
      const row = await pool.maybeOne(
        sql.type(userRow)`select ${userColumns} from app_user where id = ${userId}`,
      );
      return row ? userOf(row) : null;
    },

    async byTelegramUserId(telegramUserId: number): Promise<User | null> {
      const row = await pool.maybeOne(
        sql.type(userRow)`select ${userColumns} from app_user where telegram_user_id = ${telegramUserId}`,
      );
      return row ? userOf(row) : null;
    },

    /** Users whose id, Telegram username or Telegram id matches `query` exactly (operators' look-up). */
    async find(query: string): Promise<User[]> {
      const asNumber = /^[1-9][0-9]{0,15}$/.test(query) ? Number(query) : null;
      const rows = await pool.any(sql.type(userRow)`
        select ${userColumns} from app_user
        where id = ${query} or lower(username) = lower(${query.replace(/^@/, '')})
          or telegram_user_id = ${asNumber}
        order by created_at limit ${userPageMax}`);
      return rows.map(userOf);
    },

    /** The bot may not write to this user (Telegram answered 403); cleared by `markBotReachable`. */
    async markBotBlocked(userId: string): Promise<void> {
      await pool.query(
        sql.type(
          noRows,
        )`update app_user set bot_blocked_at = now() where id = ${userId} and bot_blocked_at is null`,
      );
    },

    async markBotReachable(userId: string): Promise<void> {
      await pool.query(
        sql.type(
          noRows,
        )`update app_user set bot_blocked_at = null where id = ${userId} and bot_blocked_at is not null`,
      );
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;
