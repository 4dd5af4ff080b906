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

  it('answers the user when another first sign-in commits it while this one waits on it', async () => {
    // The race the Mini App makes with its first requests at once: this sign-in's statement begins, finds the other
    // one's uncommitted row in the way, and sees it committed only after its own snapshot was taken.
    const users = createUserStore(database.pool);
    let commitOther: () => void = () => undefined;
    let otherInserted: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (commitOther = resolve));
    const inserted = new Promise<void>((resolve) => (otherInserted = resolve));
    const other = database.pool.transaction(async (connection) => {
      await connection.query(sql.type(z.object({}))`
        insert into app_user (id, telegram_user_id, first_name) values ('usr_raceaaaaaaaaaaaa', 1004, 'Dave')`);
      otherInserted();
      await released;
    });
    await inserted;
    const signingIn = users.signIn({ telegramUserId: 1004, firstName: 'Dave' });
    await expect
      .poll(
        () =>
          database.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
            select count(*)::int4 as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`),
        { timeout: 5_000, interval: 20 },
      )
      .toBe(1);
    commitOther();
    await other;
    expect((await signingIn).id).toBe('usr_raceaaaaaaaaaaaa');
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
