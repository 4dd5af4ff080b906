// Telegram's sending limits, enforced as Telegram does (a 429 with retry_after) and counted, so a test can assert that
// the bot never exceeded them: about 30 messages a second in all, and about 1 a second to one chat. Telegram's real
// limits are fuzzy and allow short bursts; the stand-in is stricter on the steady rate and forgives only `jitterMs`
// of network and scheduling jitter (a message 950 ms after the previous one to the same chat passes with the default
// 100 ms, one 850 ms after it does not).

export interface LimitSettings {
  readonly messagesPerSecondMax: number;
  readonly chatMessageIntervalMs: number;
  readonly jitterMs: number;
  /** `enforce` answers a violation with 429; `measure` accepts the message and only counts it. */
  readonly mode: 'enforce' | 'measure';
}

export const telegramLimits: LimitSettings = {
  messagesPerSecondMax: 30,
  chatMessageIntervalMs: 1_000,
  jitterMs: 100,
  mode: 'enforce',
};

export interface LimitFigures {
  readonly settings: LimitSettings;
  readonly messagesAccepted: number;
  readonly violations: { readonly global: number; readonly perChat: number };
}

export type LimitVerdict = 'ok' | 'global' | 'per_chat';

export interface LimitMeter {
  /** Judges a message to `chatId` at `nowMs`; an accepted one (or any in `measure` mode) is counted as sent. */
  admit(chatId: number, nowMs: number): LimitVerdict;
  readonly figures: LimitFigures;
  reset(): void;
}

/** Bound on the remembered per-chat times; older entries than one interval are dropped when it is reached. */
const chatsRememberedMax = 100_000;

export function createLimitMeter(settings: LimitSettings): LimitMeter {
  const windowMs = 1_000 - settings.jitterMs;
  const chatIntervalMs = settings.chatMessageIntervalMs - settings.jitterMs;
  // The last `messagesPerSecondMax` accepted times, oldest first: one more inside the window breaks the global limit.
  let recent: number[] = [];
  const lastByChat = new Map<number, number>();
  let accepted = 0;
  let globalViolations = 0;
  let chatViolations = 0;

  const prune = (nowMs: number) => {
    if (lastByChat.size < chatsRememberedMax) return;
    for (const [chat, at] of lastByChat)
      if (nowMs - at >= settings.chatMessageIntervalMs) lastByChat.delete(chat);
  };

  return {
    admit(chatId, nowMs) {
      recent = recent.filter((at) => nowMs - at < windowMs);
      const last = lastByChat.get(chatId);
      let verdict: LimitVerdict = 'ok';
      if (last !== undefined && nowMs - last < chatIntervalMs) verdict = 'per_chat';
      else if (recent.length >= settings.messagesPerSecondMax) verdict = 'global';
      if (verdict === 'per_chat') chatViolations += 1;
      if (verdict === 'global') globalViolations += 1;
      if (verdict !== 'ok' && settings.mode === 'enforce') return verdict;
      accepted += 1;
      recent.push(nowMs);
      if (recent.length > settings.messagesPerSecondMax) recent.shift();
      prune(nowMs);
      lastByChat.set(chatId, nowMs);
      return verdict;
    },
    get figures() {
      return {
        settings,
        messagesAccepted: accepted,
        violations: { global: globalViolations, perChat: chatViolations },
      };
    },
    reset() {
      recent = [];
      lastByChat.clear();
      accepted = 0;
      globalViolations = 0;
      chatViolations = 0;
    },
  };
}
