// Telegram's sending limits as named bounds: at most `messagesPerWindowMax` messages in any `windowMs` (30 a second)
// in all, no two closer than `spacingMsMin` (so a second's 30 do not leave as one burst of concurrent requests), and
// to one chat one message at a time, the next `chatMessageIntervalMs` (1 s) after Telegram ANSWERED the previous one.
// Both windows are counted from Telegram's answers, not from when a request left, so what Telegram sees keeps the
// limits however long requests spend on the way (a version counting from departures had one breach in 500 on this
// 2-core machine under load). Each chat's messages leave in the order they were asked for. Commands' replies and notifications share it, since they share the bot's
// one token.
//
// Hand-written (about 80 lines) instead of @grammyjs/transformer-throttler: the throttler chains a per-chat
// Bottleneck to a global one and counts the per-chat gap from when a message leaves its chat's queue, not from when
// Telegram has it; a message that waited behind the global limiter can be followed by the same chat's next message
// a few milliseconds later. Its global default (a reservoir of 30 refilled each second) lets 30 requests leave at
// once. An evenly spaced limiter (one message every 34 ms, measured before this version) let each timer's lateness
// add up: 500 messages took 20.4 s instead of 16.7 s, and one chat's two messages reached the stand-in 900 ms apart.
// BullMQ's own rate limiter is per queue, sees neither the bot's replies nor chats (per-group limits are BullMQ Pro).
import type { Transformer } from 'grammy';

export interface SendLimits {
  readonly messagesPerWindowMax: number;
  readonly windowMs: number;
  readonly spacingMsMin: number;
  readonly chatMessageIntervalMs: number;
  /** Messages waiting for their turn at most; beyond it a send is refused at once (back pressure, not memory). */
  readonly waitingMax: number;
}

/** Telegram's documented limits for a bot writing to users: about 30 messages a second, 1 a second to one chat. */
export const telegramSendLimits: SendLimits = {
  messagesPerWindowMax: 30,
  windowMs: 1_000,
  spacingMsMin: 20,
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
  readonly resolve: (release: () => void) => void;
}

export interface SendScheduler {
  /** Resolves when a message to `chat` may leave now, with the function to call once Telegram answered it. */
  acquire(chat: string): Promise<() => void>;
  readonly waiting: number;
}

interface Grant {
  readonly atMs: number;
  answeredAtMs: number | undefined;
}

export function createSendScheduler(limits: SendLimits, now: () => number = Date.now): SendScheduler {
  const queue: Waiting[] = [];
  /** When each chat may have its next message; a chat with a message in flight is not free at all. */
  const chatFreeAtMs = new Map<string, number>();
  /** Recent grants in order: the last `messagesPerWindowMax`, and any older one not yet answered. */
  const grants: Grant[] = [];
  /** The latest answer among grants dropped from `grants`. */
  let droppedAnsweredAtMs = 0;
  let timer: NodeJS.Timeout | undefined;

  function dropOld(): void {
    while (grants.length > limits.messagesPerWindowMax && grants[0]!.answeredAtMs !== undefined)
      droppedAnsweredAtMs = Math.max(droppedAnsweredAtMs, grants.shift()!.answeredAtMs!);
  }

  /**
   * The next message may leave once the one `messagesPerWindowMax` before it, and every one before that, was answered
   * a full window ago: Telegram received each of them before it answered, so no window shorter than `windowMs` sees
   * more than `messagesPerWindowMax` of them, however long requests spend on the way. Infinity: wait for an answer.
   */
  function globalFreeAtMs(): number {
    const spaced = grants.length === 0 ? 0 : grants[grants.length - 1]!.atMs + limits.spacingMsMin;
    const back = grants.length - limits.messagesPerWindowMax;
    if (back < 0) return spaced;
    let answeredAtMs = droppedAnsweredAtMs;
    for (let index = 0; index <= back; index += 1) {
      const answered = grants[index]!.answeredAtMs;
      if (answered === undefined) return Number.POSITIVE_INFINITY;
      answeredAtMs = Math.max(answeredAtMs, answered);
    }
    return Math.max(spaced, answeredAtMs + limits.windowMs);
  }

  function grant(): void {
    timer = undefined;
    const nowMs = now();
    let wakeAtMs = Number.POSITIVE_INFINITY;
    for (let index = 0; index < queue.length;) {
      const globalAt = globalFreeAtMs();
      if (nowMs < globalAt) {
        wakeAtMs = Math.min(wakeAtMs, globalAt);
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
      const granted: Grant = { atMs: nowMs, answeredAtMs: undefined };
      grants.push(granted);
      chatFreeAtMs.set(waiting.chat, Number.POSITIVE_INFINITY);
      waiting.resolve(() => {
        if (granted.answeredAtMs !== undefined) return;
        granted.answeredAtMs = now();
        chatFreeAtMs.set(waiting.chat, granted.answeredAtMs + limits.chatMessageIntervalMs);
        dropOld();
        schedule();
      });
    }
    // A chat whose interval has passed needs no entry: the map holds the chats written to within one interval.
    if (queue.length === 0 || chatFreeAtMs.size > limits.waitingMax)
      for (const [chat, freeAt] of chatFreeAtMs) if (freeAt <= nowMs) chatFreeAtMs.delete(chat);
    // A finite wake-up only: a message in flight wakes the scheduler itself when it is answered.
    if (queue.length > 0 && Number.isFinite(wakeAtMs))
      timer = setTimeout(grant, Math.max(0, wakeAtMs - now()));
  }

  function schedule(): void {
    if (timer !== undefined) clearTimeout(timer);
    grant();
  }

  return {
    acquire(chat) {
      if (queue.length >= limits.waitingMax)
        return Promise.reject(new Error(`send scheduler: ${limits.waitingMax} messages already waiting`));
      const granted = new Promise<() => void>((resolve) => queue.push({ chat, resolve }));
      schedule();
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
    if (!sendingMethods.has(method) || (typeof chat !== 'number' && typeof chat !== 'string'))
      return previous(method, payload, signal);
    const release = await scheduler.acquire(String(chat));
    try {
      return await previous(method, payload, signal);
    } finally {
      release();
    }
  };
}
