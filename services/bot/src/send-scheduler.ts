// Telegram's sending limits as named bounds, held at the moment each message leaves: at most `messagesPerSecondMax`
// messages a second in all (spaced evenly, 34 ms apart for 30/s) and one message per `chatMessageIntervalMs` to one
// chat, each chat's messages in the order they were asked for. Commands' replies and notifications share it, since
// they share the bot's one token.
//
// Hand-written (about 60 lines) instead of @grammyjs/transformer-throttler: the throttler chains a per-chat
// Bottleneck to a global one, and the per-chat gap is counted from when a message leaves its chat's queue, not from
// when it is sent; a message that waited behind the global limiter can be followed by the same chat's next message a
// few milliseconds later (the stand-in counts such a pair as a violation). One queue that grants a message only when
// both its chat and the global slot are free has no such gap. BullMQ's own rate limiter is per queue, sees neither
// the bot's replies nor chats (per-group limits are BullMQ Pro), so it cannot hold the per-chat bound.
import type { Transformer } from 'grammy';

export interface SendLimits {
  readonly messagesPerSecondMax: number;
  readonly chatMessageIntervalMs: number;
  /** Messages waiting for their turn at most; beyond it a send is refused at once (back pressure, not memory). */
  readonly waitingMax: number;
}

/** Telegram's documented limits for a bot writing to users. */
export const telegramSendLimits: SendLimits = {
  messagesPerSecondMax: 30,
  chatMessageIntervalMs: 1_000,
  waitingMax: 10_000,
};

/** The Bot API methods that send a message to a chat: the ones the limits count. */
const sendingMethods = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendMediaGroup',
  'copyMessage',
  'forwardMessage',
]);

interface Waiting {
  readonly chat: string;
  readonly resolve: () => void;
}

export interface SendScheduler {
  /** Resolves when a message to `chat` may leave now; the slot is taken when it resolves. */
  acquire(chat: string): Promise<void>;
  readonly waiting: number;
}

export function createSendScheduler(limits: SendLimits, now: () => number = Date.now): SendScheduler {
  const globalIntervalMs = Math.ceil(1_000 / limits.messagesPerSecondMax);
  const queue: Waiting[] = [];
  const chatFreeAtMs = new Map<string, number>();
  let globalFreeAtMs = 0;
  let timer: NodeJS.Timeout | undefined;

  function grant(): void {
    timer = undefined;
    const nowMs = now();
    let wakeAtMs = Number.POSITIVE_INFINITY;
    for (let index = 0; index < queue.length;) {
      if (nowMs < globalFreeAtMs) {
        wakeAtMs = Math.min(wakeAtMs, globalFreeAtMs);
        break;
      }
      const waiting = queue[index]!;
      const chatFreeAt = chatFreeAtMs.get(waiting.chat) ?? 0;
      if (chatFreeAt > nowMs) {
        wakeAtMs = Math.min(wakeAtMs, chatFreeAt);
        index += 1;
        continue;
      }
      queue.splice(index, 1);
      globalFreeAtMs = nowMs + globalIntervalMs;
      chatFreeAtMs.set(waiting.chat, nowMs + limits.chatMessageIntervalMs);
      waiting.resolve();
    }
    // Chats whose interval has passed need no entry: the map stays as large as the chats written to in one interval.
    if (queue.length === 0 || chatFreeAtMs.size > limits.waitingMax)
      for (const [chat, freeAt] of chatFreeAtMs) if (freeAt <= nowMs) chatFreeAtMs.delete(chat);
    if (queue.length > 0 && Number.isFinite(wakeAtMs))
      timer = setTimeout(grant, Math.max(0, wakeAtMs - now()));
  }

  return {
    acquire(chat) {
      if (queue.length >= limits.waitingMax)
        return Promise.reject(new Error(`send scheduler: ${limits.waitingMax} messages already waiting`));
      const granted = new Promise<void>((resolve) => queue.push({ chat, resolve }));
      if (timer !== undefined) clearTimeout(timer);
      grant();
      return granted;
    },
    get waiting() {
      return queue.length;
    },
  };
}

/** A grammY API transformer that makes every sending call wait for its turn in `scheduler`. */
export function sendLimitTransformer(scheduler: SendScheduler): Transformer {
  return async (previous, method, payload, signal) => {
    const chat = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (sendingMethods.has(method) && (typeof chat === 'number' || typeof chat === 'string'))
      await scheduler.acquire(String(chat));
    return previous(method, payload, signal);
  };
}
