// Signs in a Mini App user from `Authorization: tma <initData>`: Telegram's signature is checked by
// @telegram-apps/init-data-node (the maintained validator of the Telegram Mini Apps project; the tma.js package of
// the same code is marked deprecated), `auth_date` must be no older than the configured age and not in the future,
// and `query_id` is never required (a Mini App opened from a direct link has none). The first valid request creates
// the Cardgate user (packages/users). A verified initData string is remembered until it expires (bounded), so a
// signed-in user's later requests cost neither the HMAC nor a database read.
import type { MiddlewareHandler } from 'hono';
import { LRUCache } from 'lru-cache';
import { validate } from '@telegram-apps/init-data-node';
import { z } from 'zod';
import { AppError } from '@cardgate/errors';
import type { User, UserStore } from '@cardgate/users';
import type { AppEnv } from '../../lib/types.ts';

export interface TelegramAuthOptions {
  readonly botToken: string;
  /** initData older than this is refused (default one hour). */
  readonly maxAgeSeconds: number;
  readonly users: Pick<UserStore, 'signIn'>;
  readonly now?: () => Date;
}

/** Bound on remembered sessions: one per initData string, each until its auth_date + maxAge. */
export const signedInSessionsMax = 10_000;
/** initData from the future beyond this clock skew is refused. */
const futureSkewSecondsMax = 60;
/** Telegram's initData is a query string of a few hundred bytes; far longer is not initData. */
const initDataLengthMax = 4_096;

function unauthenticated(reason: string, message: string): AppError {
  return new AppError('unauthenticated', message, { reason });
}

/** The Telegram user of initData (Telegram's snake_case fields); unknown fields are allowed and ignored. */
const telegramUserSchema = z.object({
  id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  first_name: z.string().max(256),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  language_code: z.string().max(35).optional(),
  is_premium: z.boolean().optional(),
  photo_url: z.string().max(1024).optional(),
});

/** The fields Cardgate uses, read from initData whose signature has been checked. */
function readSignedFields(initData: string) {
  const params = new URLSearchParams(initData);
  const authDateSeconds = Number(params.get('auth_date'));
  const userText = params.get('user');
  if (!userText) throw unauthenticated('init_data_without_user', 'initData names no Telegram user');
  let userJson: unknown;
  try {
    userJson = JSON.parse(userText);
  } catch {
    throw unauthenticated('init_data_malformed', 'initData has a user that is not JSON');
  }
  const user = telegramUserSchema.safeParse(userJson);
  if (!user.success || !Number.isSafeInteger(authDateSeconds))
    throw unauthenticated('init_data_malformed', 'initData has no valid user or auth_date');
  return { authDateSeconds, user: user.data };
}

function errorKind(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

export function telegramAuth(options: TelegramAuthOptions): MiddlewareHandler<AppEnv> {
  const now = options.now ?? (() => new Date());
  const sessions = new LRUCache<string, { user: User; expiresAtMs: number }>({ max: signedInSessionsMax });

  async function signIn(initData: string): Promise<User> {
    const remembered = sessions.get(initData);
    if (remembered && remembered.expiresAtMs > now().getTime()) return remembered.user;
    try {
      // The signature only: the age is checked below against this API's clock (injectable in tests).
      validate(initData, options.botToken, { expiresIn: 0 });
    } catch (error) {
      const kind = errorKind(error);
      if (kind.includes('Expired'))
        throw unauthenticated('init_data_expired', 'the session has expired; reopen the app');
      if (kind.includes('SignatureMissing'))
        throw unauthenticated('init_data_unsigned', 'initData carries no hash');
      if (kind.includes('AuthDate'))
        throw unauthenticated('init_data_malformed', 'initData has no valid auth_date');
      throw unauthenticated('init_data_forged', 'the initData signature is not valid');
    }
    const signed = readSignedFields(initData);
    const authDateMs = signed.authDateSeconds * 1000;
    if (authDateMs + options.maxAgeSeconds * 1000 < now().getTime())
      throw unauthenticated('init_data_expired', 'the session has expired; reopen the app');
    if (authDateMs > now().getTime() + futureSkewSecondsMax * 1000)
      throw unauthenticated('init_data_from_future', 'initData was signed in the future');
    const telegramUser = signed.user;
    const user = await options.users.signIn({
      telegramUserId: telegramUser.id,
      firstName: telegramUser.first_name,
      lastName: telegramUser.last_name,
      username: telegramUser.username,
      languageCode: telegramUser.language_code,
      isPremium: telegramUser.is_premium,
      photoUrl: telegramUser.photo_url,
    });
    sessions.set(initData, { user, expiresAtMs: authDateMs + options.maxAgeSeconds * 1000 });
    return user;
  }

  return async (context, next) => {
    const header = context.req.header('authorization') ?? '';
    const match = /^tma (.+)$/s.exec(header);
    if (!match?.[1])
      throw unauthenticated('missing_credentials', 'sign in with Telegram: Authorization: tma <initData>');
    if (match[1].length > initDataLengthMax)
      throw unauthenticated('init_data_malformed', 'initData is too long');
    context.set('user', await signIn(match[1]));
    await next();
  };
}
