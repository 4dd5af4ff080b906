// A small client of the stand-in's /stand-in endpoints, for tests, benchmarks and scripts (never for the bot): play
// the user, read what the bot sent, read the limit figures, inject faults.
import type { FaultsPatch, StandInFaults } from './faults.ts';
import type { LimitFigures } from './limits.ts';
import type { SentMessage } from './store.ts';

export interface InjectedUser {
  readonly id: number;
  readonly first_name: string;
  readonly username?: string;
  readonly language_code?: string;
}

export interface StandInChat {
  readonly chatId: number;
  readonly blocked: boolean;
  readonly menuButton: unknown;
  readonly defaultMenuButton: unknown;
}

export function createStandInClient(url: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await response.json()) as T;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  }
  return {
    /** The user sends `text` to the bot (a command when it starts with `/`). */
    userSays: (from: InjectedUser, text: string) =>
      call<{ update_id: number }>('POST', '/stand-in/updates', { from, text }),
    messages: async (filter: { chatId?: number; afterId?: number; limit?: number } = {}) => {
      const query = new URLSearchParams();
      if (filter.chatId !== undefined) query.set('chat_id', String(filter.chatId));
      if (filter.afterId !== undefined) query.set('after_id', String(filter.afterId));
      query.set('limit', String(filter.limit ?? 10_000));
      return (await call<{ messages: SentMessage[] }>('GET', `/stand-in/messages?${query.toString()}`))
        .messages;
    },
    limits: () => call<LimitFigures>('GET', '/stand-in/limits'),
    resetLimits: () => call<LimitFigures>('POST', '/stand-in/limits/reset'),
    faults: () => call<StandInFaults>('GET', '/stand-in/faults'),
    setFaults: (patch: FaultsPatch) => call<StandInFaults>('POST', '/stand-in/faults', patch),
    clearFaults: () => call<StandInFaults>('DELETE', '/stand-in/faults'),
    setBlocked: (chatId: number, blocked: boolean) =>
      call<unknown>('PUT', `/stand-in/chats/${chatId}/blocked`, { blocked }),
    chat: (chatId: number) => call<StandInChat>('GET', `/stand-in/chats/${chatId}`),
    commands: () => call<Record<string, unknown>>('GET', '/stand-in/commands'),
  };
}

export type StandInClient = ReturnType<typeof createStandInClient>;
