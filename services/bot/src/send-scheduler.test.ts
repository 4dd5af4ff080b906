// Proves the send scheduler holds Telegram's limits on a fake clock: never more than 30 grants in any second nor two
// within 20 ms, one message in flight per chat and the next a full interval after the previous one was answered, each
// chat's messages in the order asked, a full queue refused at once; and that it keeps up: 300 messages to 300 chats
// take 10 windows, not more.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSendScheduler, telegramSendLimits } from './send-scheduler.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('send scheduler', () => {
  it('keeps any second to 30 messages, spaced at least 20 ms, and finishes 300 in 10 windows', async () => {
    const scheduler = createSendScheduler(telegramSendLimits);
    const granted: number[] = [];
    const all = Array.from({ length: 300 }, (_, index) =>
      scheduler.acquire(`chat-${index}`).then((release) => {
        granted.push(Date.now());
        release();
      }),
    );
    await vi.advanceTimersByTimeAsync(20_000);
    await Promise.all(all);
    expect(granted).toHaveLength(300);
    // Answered at once here, so each grant is at least a second after the one 30 before it.
    for (let index = 30; index < granted.length; index += 1)
      expect(granted[index]! - granted[index - 30]!).toBeGreaterThanOrEqual(1_000);
    for (let index = 1; index < granted.length; index += 1)
      expect(granted[index]! - granted[index - 1]!).toBeGreaterThanOrEqual(20);
    expect(granted.at(-1)! - granted[0]!).toBeLessThan(10_000);
  });

  it('waits for the answers of the 30 before it, a full second, before the 31st leaves', async () => {
    const scheduler = createSendScheduler(telegramSendLimits);
    const releases = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        vi.advanceTimersByTimeAsync(20).then(() => scheduler.acquire(`chat-${index}`)),
      ),
    );
    let grantedAt: number | undefined;
    void scheduler.acquire('chat-31').then(() => (grantedAt = Date.now()));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(grantedAt).toBeUndefined(); // the first is not answered yet
    releases[0]!();
    const answeredAt = Date.now();
    await vi.advanceTimersByTimeAsync(999);
    expect(grantedAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(grantedAt).toBe(answeredAt + 1_000);
    for (const release of releases) release();
  });

  it('lets one message per chat fly, the next one interval after the answer, in the order asked', async () => {
    const scheduler = createSendScheduler(telegramSendLimits);
    const events: string[] = [];
    const send = async (label: string, answerMs: number) => {
      const release = await scheduler.acquire('chat');
      events.push(`${label}@${Date.now() - 1_000_000}`);
      await new Promise((resolve) => setTimeout(resolve, answerMs));
      release();
    };
    const sends = [send('a', 300), send('b', 0), send('c', 0)];
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(sends);
    const at = events.map((event) => Number(event.split('@')[1]));
    expect(events.map((event) => event.split('@')[0])).toEqual(['a', 'b', 'c']);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1_300); // a's answer took 300 ms, then a full second
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(1_000);
  });

  it('refuses at once when the queue is full', async () => {
    const scheduler = createSendScheduler({ ...telegramSendLimits, waitingMax: 2 });
    const held = await scheduler.acquire('x');
    const waiting = [scheduler.acquire('x'), scheduler.acquire('x')].map((granted) =>
      granted.then((release) => release()),
    );
    await expect(scheduler.acquire('x')).rejects.toThrow(/2 messages already waiting/);
    held();
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(waiting);
  });
});
