// Proves the user store on the real PostgreSQL: the first sign-in creates one user with a Cardgate id of its own,
// later sign-ins return the same user and update changed profile fields (and write nothing when nothing changed),
// concurrent first sign-ins create one user, and a Telegram id that is not one is refused before any write.
import { describe, expect, it } from 'vitest';
import { sql } from '@cardgate/db';
import { useTestDatabase } from '@cardgate/test-harness';
import { z } from 'zod';
import { createUserStore } from './user-store.ts';

const database = useTestDatabase();

describe('user store', () => {
  it('creates the user on the first sign-in and keeps the id after', async () => {
    const users = createUserStore(database.pool);
    const first = await users.signIn({ telegramUserId: 1001, firstName: 'Alice', languageCode: 'en' });
    expect(first.id).toMatch(/^usr_[a-z2-7]{16}$/);
    const again = await users.signIn({ telegramUserId: 1001, firstName: 'Alice', languageCode: 'en' });
    expect(again.id).toBe(first.id);
    expect(await users.byTelegramUserId(1001)).toMatchObject({ id: first.id, firstName: 'Alice' });
  });

  it('updates changed profile fields, and writes nothing when none changed', async () => {
    const users = createUserStore(database.pool);
    const created = await users.signIn({ telegramUserId: 1002, firstName: 'Bob' });
    const xminOf = () =>
      database.pool.oneFirst(
        sql.type(
          z.object({ xmin: z.string() }),
        )`select xmin::text as xmin from app_user where id = ${created.id}`,
      );
    const before = await xminOf();
    await users.signIn({ telegramUserId: 1002, firstName: 'Bob' });
    expect(await xminOf()).toBe(before);
    const renamed = await users.signIn({
      telegramUserId: 1002,
      firstName: 'Robert',
      username: 'rob',
      languageCode: 'ru',
    });
    expect(renamed).toMatchObject({
      id: created.id,
      firstName: 'Robert',
      username: 'rob',
      languageCode: 'ru',
    });
    expect(await xminOf()).not.toBe(before);
  });

  it('creates one user when first sign-ins race', async () => {
    const users = createUserStore(database.pool);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => users.signIn({ telegramUserId: 1003, firstName: 'Carol' })),
    );
    expect(new Set(results.map((user) => user.id)).size).toBe(1);
  });

  it('refuses an id that is not a Telegram user id, writing nothing', async () => {
    const users = createUserStore(database.pool);
    await expect(users.signIn({ telegramUserId: -5, firstName: 'X' })).rejects.toMatchObject({
      reason: 'invalid_telegram_user',
    });
    await expect(users.signIn({ telegramUserId: 1.5, firstName: 'X' })).rejects.toMatchObject({
      reason: 'invalid_telegram_user',
    });
    expect(await users.find('-5')).toEqual([]);
  });

  it('finds users by id, username or Telegram id, and marks the bot blocked and reachable', async () => {
    const users = createUserStore(database.pool);
    const dave = await users.signIn({ telegramUserId: 1004, firstName: 'Dave', username: 'DaveX' });
    expect((await users.find('@davex')).map((user) => user.id)).toEqual([dave.id]);
    expect((await users.find('1004')).map((user) => user.id)).toEqual([dave.id]);
    expect((await users.find(dave.id)).map((user) => user.id)).toEqual([dave.id]);
    await users.markBotBlocked(dave.id);
    expect((await users.byId(dave.id))?.botBlockedAt).toBeInstanceOf(Date);
    await users.markBotReachable(dave.id);
    expect((await users.byId(dave.id))?.botBlockedAt).toBeNull();
  });
});
