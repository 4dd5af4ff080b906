// Proves the bot against the Bot API stand-in (a real HTTP server), the real PostgreSQL and Redis: /start greets in
// the user's language with a web_app button and sets the chat's menu button (and creates the Cardgate user);
// /balance answers from the ledger; an unknown command gets help; every notification kind (a skipped auto-load too) is sent in English and in
// Russian with a button into the Mini App; a burst of 500 notifications arrives whole, once each, without one breach
// of Telegram's limits as the stand-in counts them; a 429 is waited out and sent once; a 5xx answer is retried by
// the queue and sent once; a user who blocked the bot is marked and not retried; a malformed job fails alone; a job
// that runs again after its message was recorded sends nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '@cardgate/contracts';
import { testRedisPrefix, useTestDatabase } from '@cardgate/test-harness';
import { createUserStore } from '@cardgate/users';
import { createCardStore } from '@cardgate/card-store';
import { chart } from '@cardgate/domain';
import { createLedger } from '@cardgate/ledger';
import { parseMoney, USD, USDT } from '@cardgate/money';
import { createDeliveryStore } from './delivery-store.ts';
import { createTestUser, startBotWorld, testMiniAppUrl, waitFor, type BotWorld } from './testing.ts';

const database = useTestDatabase({ maxPoolSize: 20 });
let world: BotWorld;

beforeAll(async () => {
  world = await startBotWorld(database.pool, testRedisPrefix('bot'));
});
afterAll(async () => {
  await world?.close();
});

interface InlineButton {
  text: string;
  web_app?: { url: string };
}
const buttonsOf = (parameters: Readonly<Record<string, unknown>>): InlineButton[] =>
  (
    (parameters.reply_markup as { inline_keyboard?: InlineButton[][] } | undefined)?.inline_keyboard ?? []
  ).flat();

async function messagesTo(chatId: number, count: number) {
  await waitFor(
    async () => (await world.client.messages({ chatId })).length >= count,
    `${count} messages to ${chatId}`,
  );
  return world.client.messages({ chatId });
}

const kinds = (userId: string, tag: string): Notification[] => [
  { id: `${tag}:seen`, userId, kind: 'deposit_seen', data: { amountMinor: '25500000' } },
  {
    id: `${tag}:credited`,
    userId,
    kind: 'deposit_credited',
    data: { grossMinor: '25500000', feeMinor: '755000', netMinor: '24745000' },
  },
  { id: `${tag}:held`, userId, kind: 'deposit_held', data: { amountMinor: '3000000' } },
  { id: `${tag}:issued`, userId, kind: 'card_issued', data: { cardId: 'crd_1', lastFour: '4242' } },
  { id: `${tag}:loaded`, userId, kind: 'card_loaded', data: { cardId: 'crd_1', usdMinor: '1250' } },
  {
    id: `${tag}:load-failed`,
    userId,
    kind: 'card_load_failed',
    data: { cardId: 'crd_1', reason: 'card closed' },
  },
  {
    id: `${tag}:auto-load-skipped`,
    userId,
    kind: 'card_auto_load_skipped',
    data: { cardId: 'crd_1', limit: 'perDay', remainingMinor: '2100' },
  },
  {
    id: `${tag}:declined`,
    userId,
    kind: 'card_declined',
    data: {
      cardId: 'crd_1',
      amountMinor: '990',
      currency: 'USD',
      merchant: 'COFFEE',
      reason: 'INSUFFICIENT_FUNDS',
    },
  },
  {
    id: `${tag}:refund`,
    userId,
    kind: 'card_refund',
    data: { cardId: 'crd_1', amountMinor: '500', currency: 'USD', merchant: 'BOOKS' },
  },
];

describe('commands', () => {
  it('greets /start in Russian with a web_app button, sets the menu button and creates the user', async () => {
    const from = { id: 5_100_000_001, first_name: 'Ivan', language_code: 'ru' };
    await world.client.userSays(from, '/start');
    const [greeting] = await messagesTo(from.id, 1);
    expect(greeting!.text).toContain('Здравствуйте, Ivan!');
    expect(buttonsOf(greeting!.parameters)).toEqual([
      { text: 'Открыть Cardgate', web_app: { url: testMiniAppUrl } },
    ]);
    await waitFor(async () => (await world.client.chat(from.id)).menuButton !== null, 'the menu button');
    expect((await world.client.chat(from.id)).menuButton).toEqual({
      type: 'web_app',
      text: 'Cardgate',
      web_app: { url: testMiniAppUrl },
    });
    expect(await createUserStore(database.pool).byTelegramUserId(from.id)).toMatchObject({
      languageCode: 'ru',
    });
  });

  it('greets in English by default, answers /balance from the ledger and an unknown command with help', async () => {
    const from = { id: 5_100_000_002, first_name: 'Ann', language_code: 'en-GB' };
    await world.client.userSays(from, '/start');
    expect((await messagesTo(from.id, 1))[0]!.text).toContain('Hello, Ann!');
    await world.client.userSays(from, '/balance');
    const balance = (await messagesTo(from.id, 2))[1]!;
    expect(balance.text).toContain('Wallet: 0.00 USDT');
    expect(balance.text).toContain('No cards yet.');
    await world.client.userSays(from, '/frobnicate');
    expect((await messagesTo(from.id, 3))[2]!.text).toContain('/balance');
    const commands = await world.client.commands();
    expect(Object.values(commands)).toHaveLength(2);
  });
});

describe('balance', () => {
  it("answers /balance with the wallet and each issued card's available balance, in Russian", async () => {
    const from = { id: 5_100_000_003, first_name: 'Oleg', language_code: 'ru' };
    await world.client.userSays(from, '/start');
    await messagesTo(from.id, 1);
    const user = (await createUserStore(database.pool).byTelegramUserId(from.id))!;
    const ledger = createLedger({ pool: database.pool });
    const cards = createCardStore(database.pool).cards;
    const [treasury, wallet, prefund, card] = await ledger.createAccounts([
      chart.treasury,
      chart.wallet(user.id),
      chart.providerPrefund,
      chart.card('crd_test_balance_7788', user.id),
    ]);
    await ledger.transfer({
      type: 'posted',
      id: `test-funding:${user.id}`,
      code: 'deposit',
      debitAccountId: treasury!.id,
      creditAccountId: wallet!.id,
      amount: parseMoney('24.745', USDT),
    });
    await ledger.transfer({
      type: 'posted',
      id: `test-load:${user.id}`,
      code: 'card_load',
      debitAccountId: prefund!.id,
      creditAccountId: card!.id,
      amount: parseMoney('12.5', USD),
    });
    await cards.beginIssue({ cardId: 'crd_test_balance_7788', userId: user.id });
    await cards.open({
      cardId: 'crd_test_balance_7788',
      userId: user.id,
      providerToken: 'card_test_balance',
      ledgerAccountId: card!.id,
      autoLoad: false,
    });
    await world.client.userSays(from, '/balance');
    const answer = (await messagesTo(from.id, 2))[1]!;
    expect(answer.text).toBe('Ваши балансы\nКошелёк: 24,745 USDT\nКарта …7788: доступно 12,50 USD');
  });
});

describe('notifications', () => {
  it('sends every kind in English and in Russian, each with a button into the Mini App', async () => {
    const english = await createTestUser(database.pool, 'en');
    const russian = await createTestUser(database.pool, 'ru');
    for (const notification of [...kinds(english.id, 'en-kinds'), ...kinds(russian.id, 'ru-kinds')])
      await world.queueNotification(notification);
    const inEnglish = (await messagesTo(english.telegramUserId, 9)).map((message) => message.text);
    const inRussian = (await messagesTo(russian.telegramUserId, 9)).map((message) => message.text);
    // Jobs run concurrently: each chat's messages keep the order they were granted, not the order they were queued.
    expect(inEnglish).toHaveLength(9);
    expect(inRussian).toHaveLength(9);
    expect(inEnglish).toEqual(
      expect.arrayContaining([
        expect.stringContaining('deposit of 25.50 USDT'),
        expect.stringContaining('24.745 USDT added to your wallet (25.50 USDT received, fee 0.755 USDT)'),
        expect.stringContaining('3.00 USDT is below the minimum'),
        expect.stringContaining('card …4242 is ready'),
        expect.stringContaining('12.50 USD were loaded'),
        expect.stringContaining('Reason: card closed'),
        expect.stringContaining('would pass the daily limit (21.00 USD left of it)'),
        expect.stringContaining('9.90 USD at COFFEE was declined (INSUFFICIENT_FUNDS)'),
        expect.stringContaining('refund of 5.00 USD from BOOKS'),
      ]),
    );
    expect(inRussian).toEqual(
      expect.arrayContaining([
        expect.stringContaining('пополнение на 25,50 USDT'),
        expect.stringContaining('24,745 USDT добавлено в кошелёк'),
        expect.stringContaining('3,00 USDT меньше минимума'),
        expect.stringContaining('карта …4242 готова'),
        expect.stringContaining('зачислено 12,50 USD'),
        expect.stringContaining('Причина: card closed'),
        expect.stringContaining('превысило бы дневной лимит (осталось 21,00 USD)'),
        expect.stringContaining('9,90 USD отклонён (INSUFFICIENT_FUNDS). Получатель: COFFEE'),
        expect.stringContaining('возврат 5,00 USD. Отправитель: BOOKS'),
      ]),
    );
    for (const message of await world.client.messages({ chatId: russian.telegramUserId }))
      expect(buttonsOf(message.parameters)).toEqual([
        { text: 'Открыть Cardgate', web_app: { url: testMiniAppUrl } },
      ]);
  });

  it('delivers a burst of 500 notifications whole, once each, within the per-chat and global limits', async () => {
    await world.client.resetLimits();
    const users = await Promise.all(Array.from({ length: 250 }, () => createTestUser(database.pool, 'en')));
    const chats = new Set(users.map((user) => user.telegramUserId));
    const notifications = users.flatMap((user, index) =>
      [1, 2].map((n): Notification => ({
        id: `burst:${index}:${n}`,
        userId: user.id,
        kind: 'deposit_held',
        data: { amountMinor: String(n * 1_000_000) },
      })),
    );
    await world.queue.addBulk(
      notifications.map((notification) => ({
        name: notification.kind,
        data: notification,
        opts: { jobId: notification.id.replaceAll(':', '_'), attempts: 5 },
      })),
    );
    const burstMessages = async () =>
      (await world.client.messages()).filter((message) => chats.has(message.chatId));
    await waitFor(async () => (await burstMessages()).length >= 500, 'the burst', 120_000);
    const received = await burstMessages();
    expect(received).toHaveLength(500);
    const perChat = new Map<number, number>();
    for (const message of received) perChat.set(message.chatId, (perChat.get(message.chatId) ?? 0) + 1);
    expect([...perChat.values()].every((count) => count === 2)).toBe(true);
    const limits = await world.client.limits();
    expect(limits.violations).toEqual({ global: 0, perChat: 0 });
    expect(limits.messagesAccepted).toBeGreaterThanOrEqual(500);
  }, 180_000);

  it('waits out a 429 and sends the message once', async () => {
    const user = await createTestUser(database.pool, 'en');
    await world.client.setFaults({
      rateLimitChats: { [String(user.telegramUserId)]: 2 },
      retryAfterSeconds: 1,
    });
    await world.queueNotification({
      id: 'rate-limited:1',
      userId: user.id,
      kind: 'card_issued',
      data: { cardId: 'c', lastFour: '1111' },
    });
    await messagesTo(user.telegramUserId, 1);
    await waitFor(
      async () => (await createDeliveryStore(database.pool).byId('rate-limited:1'))?.state === 'sent',
      'sent',
    );
    expect((await world.client.limits()).violations).toEqual({ global: 0, perChat: 0 });
    expect((await world.client.faults()).rateLimitChats[String(user.telegramUserId)]).toBe(0);
    expect(await world.client.messages({ chatId: user.telegramUserId })).toHaveLength(1);
  });

  it('retries through the queue when Telegram answers 5xx (it took nothing), and sends once', async () => {
    const user = await createTestUser(database.pool, 'en');
    await world.client.setFaults({ failNext: 1, failStatus: 502 });
    await world.queueNotification({
      id: 'five-hundred:1',
      userId: user.id,
      kind: 'deposit_seen',
      data: { amountMinor: '1000000' },
    });
    const job = await waitForJob('five-hundred_1');
    expect(job.returnvalue).toBe('sent');
    expect(job.attemptsMade).toBe(2);
    expect(await world.client.messages({ chatId: user.telegramUserId })).toHaveLength(1);
  });

  it('marks a user who blocked the bot and does not retry, nor write again', async () => {
    const user = await createTestUser(database.pool, 'ru');
    await world.client.setBlocked(user.telegramUserId, true);
    await world.queueNotification({
      id: 'blocked:1',
      userId: user.id,
      kind: 'deposit_seen',
      data: { amountMinor: '1' },
    });
    const job = await waitForJob('blocked_1');
    expect(job.returnvalue).toBe('blocked');
    expect(job.attemptsMade).toBe(1);
    expect((await createUserStore(database.pool).byId(user.id))?.botBlockedAt).toBeInstanceOf(Date);
    expect(await createDeliveryStore(database.pool).byId('blocked:1')).toMatchObject({ state: 'blocked' });
    await world.queueNotification({
      id: 'blocked:2',
      userId: user.id,
      kind: 'deposit_seen',
      data: { amountMinor: '2' },
    });
    expect((await waitForJob('blocked_2')).returnvalue).toBe('blocked');
    expect(await world.client.messages({ chatId: user.telegramUserId })).toEqual([]);
  });

  it('fails a malformed job at once and visibly, and sends the next one', async () => {
    const user = await createTestUser(database.pool, 'en');
    await world.queue.add(
      'deposit_credited',
      { id: 'bad:1', userId: user.id, kind: 'deposit_credited', data: { grossMinor: 5 } },
      { jobId: 'bad_1', attempts: 5 },
    );
    await world.queue.add('nonsense', { hello: 'world' }, { jobId: 'bad_2', attempts: 5 });
    await world.queueNotification({
      id: 'good:1',
      userId: user.id,
      kind: 'deposit_seen',
      data: { amountMinor: '1000000' },
    });
    await messagesTo(user.telegramUserId, 1);
    for (const id of ['bad_1', 'bad_2']) {
      const job = await waitForJob(id);
      expect(await job.getState()).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toContain('malformed notification');
    }
  });

  it('sends nothing when the job runs again after its message was recorded (a crash before the acknowledgement)', async () => {
    const user = await createTestUser(database.pool, 'en');
    const notification: Notification = {
      id: 'again:1',
      userId: user.id,
      kind: 'deposit_seen',
      data: { amountMinor: '7000000' },
    };
    await world.queueNotification(notification);
    expect((await waitForJob('again_1')).returnvalue).toBe('sent');
    // The same notification in a job of its own: what BullMQ does when a worker dies after the record, before the ack.
    await world.queue.add(notification.kind, notification, { jobId: 'again_1_redelivered' });
    expect((await waitForJob('again_1_redelivered')).returnvalue).toBe('already_sent');
    expect(await world.client.messages({ chatId: user.telegramUserId })).toHaveLength(1);
  });
});

async function waitForJob(jobId: string) {
  await waitFor(async () => {
    const job = await world.queue.getJob(jobId);
    return job !== undefined && (job.finishedOn ?? 0) > 0;
  }, `job ${jobId}`);
  return (await world.queue.getJob(jobId))!;
}
