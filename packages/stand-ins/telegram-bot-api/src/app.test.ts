// Proves the stand-in speaks the Bot API as the bot needs it, as a real HTTP server: Telegram's answer shapes,
// a wrong token is 401 and an unknown method 404; getUpdates long-polls, returns an update injected while it waits,
// and forgets what an offset confirmed; sendMessage records the message; the limits answer 429 with retry_after and
// count each breach (per chat and global), or only count them in `measure` mode; injected faults: 429 for the next
// calls or for one chat, 5xx, a blocked chat's 403; menu buttons and commands are kept.
import { afterEach, describe, expect, it } from 'vitest';
import { createStandInClient } from './client.ts';
import { startTelegramStandIn, standInBotToken, type RunningTelegramStandIn } from './stand-in.ts';

let running: RunningTelegramStandIn | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A frozen clock: every message of a test arrives in the same millisecond, however slow the machine. */
async function start(limits: Parameters<typeof startTelegramStandIn>[0]['limits'] = {}) {
  running = await startTelegramStandIn({ port: 0, limits, now: () => 1_800_000_000_000 });
  return { standIn: running, client: createStandInClient(running.url) };
}

async function call(method: string, parameters: Record<string, unknown> = {}, token = standInBotToken) {
  const response = await fetch(`${running!.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(parameters),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('telegram bot api stand-in', () => {
  it("answers in Telegram's shapes: getMe, a wrong token, an unknown method, a bad message", async () => {
    await start();
    expect(await call('getMe')).toMatchObject({
      status: 200,
      body: { ok: true, result: { is_bot: true, id: 7000000001 } },
    });
    expect(await call('getMe', {}, '1:wrong')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect((await call('sendSticker')).body).toMatchObject({ ok: false, error_code: 404 });
    expect((await call('sendMessage', { chat_id: 'abc', text: 'x' })).body).toMatchObject({
      error_code: 400,
      description: 'Bad Request: chat not found',
    });
    expect((await call('sendMessage', { chat_id: 5, text: ' ' })).body).toMatchObject({ error_code: 400 });
  });

  it('long-polls getUpdates, wakes on an injected update, and forgets what an offset confirmed', async () => {
    const { client } = await start();
    const polling = call('getUpdates', { offset: 0, timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { update_id } = await client.userSays({ id: 42, first_name: 'Ann', language_code: 'ru' }, '/start');
    const first = await polling;
    expect(first.body).toMatchObject({
      ok: true,
      result: [
        {
          update_id,
          message: {
            text: '/start',
            from: { id: 42, language_code: 'ru', is_bot: false },
            chat: { id: 42, type: 'private' },
            entities: [{ type: 'bot_command', offset: 0, length: 6 }],
          },
        },
      ],
    });
    expect((await call('getUpdates', { offset: update_id, timeout: 0 })).body.result).toHaveLength(1);
    expect((await call('getUpdates', { offset: update_id + 1, timeout: 0 })).body.result).toEqual([]);
    expect((await call('getUpdates', { offset: 0, timeout: 0 })).body.result).toEqual([]);
  });

  it('ends a long poll with 409 when a second one starts', async () => {
    await start();
    const first = call('getUpdates', { timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = call('getUpdates', { timeout: 1 });
    expect((await first).body).toMatchObject({ ok: false, error_code: 409 });
    expect((await second).body).toMatchObject({ ok: true, result: [] });
  });

  it('answers 429 with retry_after and counts a breach of the per-chat and the global limit', async () => {
    const { client } = await start();
    const sent = await call('sendMessage', {
      chat_id: 1,
      text: 'one',
      reply_markup: { inline_keyboard: [] },
    });
    expect(sent.body).toMatchObject({ ok: true, result: { message_id: 1, chat: { id: 1 }, text: 'one' } });
    expect(await call('sendMessage', { chat_id: 1, text: 'two' })).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      },
    });
    for (let chat = 2; chat <= 30; chat += 1)
      expect((await call('sendMessage', { chat_id: chat, text: 'hi' })).status).toBe(200);
    expect((await call('sendMessage', { chat_id: 31, text: 'hi' })).status).toBe(429);
    const figures = await client.limits();
    expect(figures.violations).toEqual({ global: 1, perChat: 1 });
    expect(figures.messagesAccepted).toBe(30);
    expect((await client.messages()).map((message) => message.chatId)).toHaveLength(30);
    expect((await client.messages({ chatId: 1 }))[0]!.parameters).toMatchObject({
      reply_markup: { inline_keyboard: [] },
    });
  });

  it('only counts breaches in measure mode', async () => {
    const { client } = await start({ mode: 'measure' });
    expect((await call('sendMessage', { chat_id: 1, text: 'one' })).status).toBe(200);
    expect((await call('sendMessage', { chat_id: 1, text: 'two' })).status).toBe(200);
    expect((await client.limits()).violations).toEqual({ global: 0, perChat: 1 });
  });

  it('injects 429s (next calls, one chat), 5xx and a blocked chat, each without effect', async () => {
    const { client } = await start();
    await client.setFaults({
      rateLimitNext: 1,
      retryAfterSeconds: 7,
      rateLimitChats: { '9': 1 },
      failNext: 1,
      failStatus: 502,
    });
    expect((await call('sendMessage', { chat_id: 8, text: 'a' })).body).toMatchObject({ error_code: 502 });
    expect((await call('sendMessage', { chat_id: 8, text: 'a' })).body).toMatchObject({
      error_code: 429,
      parameters: { retry_after: 7 },
    });
    expect((await call('sendMessage', { chat_id: 9, text: 'a' })).body).toMatchObject({ error_code: 429 });
    expect((await call('sendMessage', { chat_id: 9, text: 'a' })).status).toBe(200);
    await client.setBlocked(10, true);
    expect(await call('sendMessage', { chat_id: 10, text: 'a' })).toMatchObject({
      status: 403,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });
    expect((await client.messages()).map((message) => message.chatId)).toEqual([9]);
    expect((await client.limits()).violations).toEqual({ global: 0, perChat: 0 });
  });

  it('keeps the menu buttons and the command lists the bot set', async () => {
    const { client } = await start();
    const button = { type: 'web_app', text: 'Open', web_app: { url: 'https://x.test/app' } };
    expect((await call('setChatMenuButton', { chat_id: 5, menu_button: button })).body).toEqual({
      ok: true,
      result: true,
    });
    expect((await call('getChatMenuButton', { chat_id: 5 })).body.result).toEqual(button);
    expect((await client.chat(5)).menuButton).toEqual(button);
    const commands = [{ command: 'start', description: 'Начать' }];
    await call('setMyCommands', { commands, language_code: 'ru' });
    expect((await call('getMyCommands', { language_code: 'ru' })).body.result).toEqual(commands);
    expect((await call('getMyCommands')).body.result).toEqual([]);
  });
});
