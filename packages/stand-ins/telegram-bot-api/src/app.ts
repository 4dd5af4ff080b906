// The stand-in's HTTP app: the Bot API methods the bot uses, at `POST /bot<token>/<method>` with Telegram's answer
// shapes ({ok, result} or {ok: false, error_code, description, parameters.retry_after}), and the /stand-in endpoints
// tests and developers use to play the user (inject an update), read what the bot sent, read the limit figures and
// inject faults. API.md is the contract.
import { setTimeout as sleep } from 'node:timers/promises';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { applyFaults, faultsPatchSchema, noFaults, type StandInFaults } from './faults.ts';
import type { LimitMeter } from './limits.ts';
import type { StandInStore } from './store.ts';

/** Telegram holds a long poll for at most 50 s; so does the stand-in, whatever timeout is asked. */
const longPollSecondsMax = 50;
const updatesPerCallMax = 100;
const messagesPerReadMax = 10_000;
const textLengthMax = 4_096;
const sendingMethods = new Set(['sendMessage']);

export interface StandInAppOptions {
  readonly token: string;
  readonly store: StandInStore;
  readonly limits: LimitMeter;
  readonly now?: () => number;
}

export interface StandInApp {
  readonly app: Hono;
  readonly faults: StandInFaults;
  /** Ends every waiting long poll with an empty answer (before the server closes). */
  closePolls(): void;
}

type Parameters = Record<string, unknown>;
interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const ok = (result: unknown): Answer => ({ status: 200, body: { ok: true, result } });
const fail = (status: number, description: string, parameters?: Record<string, unknown>): Answer => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
});
const tooManyRequests = (retryAfterSeconds: number): Answer =>
  fail(429, `Too Many Requests: retry after ${retryAfterSeconds}`, { retry_after: retryAfterSeconds });

const chatIdOf = (value: unknown): number | null => {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  return /^-?[1-9][0-9]{0,15}$/.test(text) ? Number(text) : null;
};

async function parametersOf(context: Context): Promise<Parameters> {
  const parameters: Parameters = { ...context.req.query() };
  const type = context.req.header('content-type') ?? '';
  if (type.includes('application/json')) {
    const body: unknown = await context.req.json().catch(() => null);
    if (body !== null && typeof body === 'object') Object.assign(parameters, body);
  } else if (context.req.method === 'POST' && type !== '') {
    Object.assign(parameters, await context.req.parseBody());
  }
  // Form-encoded calls carry objects as JSON text, as Telegram accepts them.
  for (const name of ['reply_markup', 'menu_button', 'commands', 'scope'])
    if (typeof parameters[name] === 'string') {
      try {
        parameters[name] = JSON.parse(parameters[name]);
      } catch {
        // left as text; the method answers 400
      }
    }
  return parameters;
}

const injectedUpdateSchema = z.strictObject({
  from: z.strictObject({
    id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    first_name: z.string().min(1).max(256),
    last_name: z.string().max(256).optional(),
    username: z.string().max(64).optional(),
    language_code: z.string().max(16).optional(),
  }),
  text: z.string().min(1).max(textLengthMax),
});

export function createStandInApp(options: StandInAppOptions): StandInApp {
  const { store, limits } = options;
  const now = options.now ?? (() => Date.now());
  const faults = noFaults();
  const botId = Number(options.token.split(':')[0]);
  const botUser = {
    id: botId,
    is_bot: true,
    first_name: 'Cardgate (stand-in)',
    username: 'cardgate_stand_in_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
  let poll: { resolve: (conflict: boolean) => void } | undefined;
  const wake = () => poll?.resolve(false);

  function menuScope(parameters: Parameters): string | null {
    if (parameters.chat_id === undefined) return 'default';
    const chatId = chatIdOf(parameters.chat_id);
    return chatId === null ? null : String(chatId);
  }
  const commandsScope = (parameters: Parameters) =>
    `${JSON.stringify(parameters.scope ?? { type: 'default' })}|${typeof parameters.language_code === 'string' ? parameters.language_code : ''}`;

  async function getUpdates(parameters: Parameters): Promise<Answer> {
    const offset = Number(parameters.offset ?? 0);
    const limit = Math.min(updatesPerCallMax, Math.max(1, Number(parameters.limit ?? updatesPerCallMax)));
    const timeoutSeconds = Math.min(longPollSecondsMax, Math.max(0, Number(parameters.timeout ?? 0)));
    if (!Number.isSafeInteger(offset) || !Number.isFinite(limit) || !Number.isFinite(timeoutSeconds))
      return fail(400, 'Bad Request: invalid getUpdates parameters');
    let updates = store.updatesFrom(offset, limit);
    if (updates.length > 0 || timeoutSeconds === 0) return ok(updates);
    // A second poll ends the first one with 409, as Telegram does: only one consumer of updates at a time.
    poll?.resolve(true);
    const conflict = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutSeconds * 1_000);
      const mine = {
        resolve: (value: boolean) => {
          clearTimeout(timer);
          if (poll === mine) poll = undefined;
          resolve(value);
        },
      };
      poll = mine;
    });
    if (conflict)
      return fail(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      );
    updates = store.updatesFrom(offset, limit);
    return ok(updates);
  }

  async function sendMessage(method: string, parameters: Parameters): Promise<Answer> {
    const chatId = chatIdOf(parameters.chat_id);
    if (chatId === null) return fail(400, 'Bad Request: chat not found');
    const text = parameters.text;
    if (typeof text !== 'string' || text.trim() === '')
      return fail(400, 'Bad Request: message text is empty');
    if (text.length > textLengthMax) return fail(400, 'Bad Request: message is too long');
    const markup = parameters.reply_markup;
    if (markup !== undefined && (markup === null || typeof markup !== 'object'))
      return fail(400, "Bad Request: can't parse reply keyboard markup JSON object");
    if (store.setting(String(chatId), 'blocked') === true)
      return fail(403, 'Forbidden: bot was blocked by the user');
    if (faults.rateLimitNext > 0) {
      faults.rateLimitNext -= 1;
      return tooManyRequests(faults.retryAfterSeconds);
    }
    const chatFaults = faults.rateLimitChats[String(chatId)] ?? 0;
    if (chatFaults > 0) {
      faults.rateLimitChats[String(chatId)] = chatFaults - 1;
      return tooManyRequests(faults.retryAfterSeconds);
    }
    const receivedAtMs = now();
    const verdict = limits.admit(chatId, receivedAtMs);
    if (verdict !== 'ok' && limits.figures.settings.mode === 'enforce') return tooManyRequests(1);
    const sent = store.addMessage({ chatId, method, text, parameters, receivedAtMs });
    if (faults.acceptedResponseDelayMs > 0) await sleep(faults.acceptedResponseDelayMs);
    return ok({
      message_id: sent.messageId,
      from: botUser,
      chat: { id: chatId, type: 'private' },
      date: Math.floor(receivedAtMs / 1_000),
      text,
      ...(markup === undefined ? {} : { reply_markup: markup }),
    });
  }

  async function callMethod(method: string, parameters: Parameters): Promise<Answer> {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (method === 'getUpdates') return getUpdates(parameters);
    if (faults.failNext > 0) {
      faults.failNext -= 1;
      return fail(faults.failStatus, 'Internal Server Error');
    }
    if (sendingMethods.has(method)) return sendMessage(method, parameters);
    switch (method) {
      case 'getMe':
        return ok(botUser);
      case 'deleteWebhook':
      case 'close':
      case 'logOut':
      case 'answerCallbackQuery':
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: '', has_custom_certificate: false, pending_update_count: 0 });
      case 'setChatMenuButton': {
        const scope = menuScope(parameters);
        if (scope === null) return fail(400, 'Bad Request: chat not found');
        const button = parameters.menu_button ?? { type: 'default' };
        if (typeof button !== 'object') return fail(400, 'Bad Request: invalid menu button');
        store.putSetting(scope, 'menu_button', button);
        return ok(true);
      }
      case 'getChatMenuButton': {
        const scope = menuScope(parameters);
        if (scope === null) return fail(400, 'Bad Request: chat not found');
        return ok(store.setting(scope, 'menu_button') ?? { type: 'default' });
      }
      case 'setMyCommands':
        if (!Array.isArray(parameters.commands)) return fail(400, 'Bad Request: commands must be an array');
        store.putSetting(commandsScope(parameters), 'commands', parameters.commands);
        return ok(true);
      case 'getMyCommands':
        return ok(store.setting(commandsScope(parameters), 'commands') ?? []);
      default:
        return fail(404, 'Not Found: method not found');
    }
  }

  const app = new Hono();
  app.get('/health', (context) => context.json({ status: 'ok' }));
  app.post('/stand-in/updates', async (context) => {
    const parsed = injectedUpdateSchema.safeParse(await context.req.json().catch(() => null));
    if (!parsed.success) return context.json({ error: z.prettifyError(parsed.error) }, 400);
    const { from, text } = parsed.data;
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    const dateSeconds = Math.floor(now() / 1_000);
    const updateId = store.addUpdate((id) => ({
      message: {
        message_id: id,
        from: { ...from, is_bot: false },
        chat: { id: from.id, type: 'private', first_name: from.first_name },
        date: dateSeconds,
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      },
    }));
    wake();
    return context.json({ update_id: updateId });
  });
  app.get('/stand-in/messages', (context) => {
    const query = context.req.query();
    const chatId = query.chat_id === undefined ? undefined : chatIdOf(query.chat_id);
    if (chatId === null) return context.json({ error: 'chat_id must be an integer' }, 400);
    const limit = Math.min(messagesPerReadMax, Math.max(1, Number(query.limit ?? 1_000) || 1_000));
    const messages = store.messages({
      ...(chatId === undefined ? {} : { chatId }),
      afterId: Number(query.after_id ?? 0) || 0,
      limit,
    });
    return context.json({ messages, total: store.messageCount() });
  });
  app.get('/stand-in/limits', (context) => context.json(limits.figures));
  app.post('/stand-in/limits/reset', (context) => {
    limits.reset();
    return context.json(limits.figures);
  });
  app.get('/stand-in/faults', (context) => context.json(faults));
  app.post('/stand-in/faults', async (context) => {
    const parsed = faultsPatchSchema.safeParse(await context.req.json().catch(() => null));
    if (!parsed.success) return context.json({ error: z.prettifyError(parsed.error) }, 400);
    applyFaults(faults, parsed.data);
    return context.json(faults);
  });
  app.delete('/stand-in/faults', (context) => {
    applyFaults(faults, noFaults());
    return context.json(faults);
  });
  app.put('/stand-in/chats/:chatId/blocked', async (context) => {
    const chatId = chatIdOf(context.req.param('chatId'));
    const body: unknown = await context.req.json().catch(() => null);
    const parsed = z.strictObject({ blocked: z.boolean() }).safeParse(body);
    if (chatId === null || !parsed.success)
      return context.json({ error: 'expected {"blocked": boolean}' }, 400);
    store.putSetting(String(chatId), 'blocked', parsed.data.blocked);
    return context.json({ chatId, blocked: parsed.data.blocked });
  });
  app.get('/stand-in/chats/:chatId', (context) => {
    const chatId = chatIdOf(context.req.param('chatId'));
    if (chatId === null) return context.json({ error: 'chat id must be an integer' }, 400);
    return context.json({
      chatId,
      blocked: store.setting(String(chatId), 'blocked') === true,
      menuButton: store.setting(String(chatId), 'menu_button') ?? null,
      defaultMenuButton: store.setting('default', 'menu_button') ?? null,
    });
  });
  app.get('/stand-in/commands', (context) => context.json(store.settings('commands')));

  // Last: the /stand-in routes above would otherwise read as a method of a bot named 'stand-in'.
  app.on(['GET', 'POST'], '/:bot/:method', async (context) => {
    const bot = context.req.param('bot');
    if (!bot.startsWith('bot'))
      return context.json({ ok: false, error_code: 404, description: 'Not Found' }, 404);
    if (bot.slice(3) !== options.token)
      return context.json({ ok: false, error_code: 401, description: 'Unauthorized' }, 401);
    const answer = await callMethod(context.req.param('method'), await parametersOf(context));
    return context.json(answer.body, answer.status as 200);
  });

  return { app, faults, closePolls: () => poll?.resolve(false) };
}
