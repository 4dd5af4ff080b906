// Proves the supervisor's restart policy: delays double from the minimum and stop at the cap, crashes older than the
// window are forgotten (so the delay falls back and the budget refills), and one crash more than the budget inside
// the window gives up.
import { describe, expect, it } from 'vitest';
import { createRestartPolicy, defaultRestartPolicy } from './restart-policy.ts';

describe('restart policy', () => {
  it('doubles the delay from 0.5 s and gives up on the sixth crash within 60 s', () => {
    const policy = createRestartPolicy(defaultRestartPolicy);
    const decisions = [0, 1_000, 3_000, 6_000, 12_000, 25_000].map((timeMs) => policy.onCrash(timeMs));
    expect(decisions.slice(0, 5)).toEqual([
      { action: 'restart', delayMs: 500, restart: 1 },
      { action: 'restart', delayMs: 1_000, restart: 2 },
      { action: 'restart', delayMs: 2_000, restart: 3 },
      { action: 'restart', delayMs: 4_000, restart: 4 },
      { action: 'restart', delayMs: 8_000, restart: 5 },
    ]);
    expect(decisions[5]).toEqual({ action: 'give-up', crashesInWindow: 6 });
  });

  it('caps the delay', () => {
    const policy = createRestartPolicy({
      delayMsMin: 500,
      delayMsMax: 10_000,
      crashesMax: 10,
      windowMs: 60_000,
    });
    const delays = Array.from({ length: 8 }, (_, index) => policy.onCrash(index));
    expect(delays.map((decision) => (decision.action === 'restart' ? decision.delayMs : -1))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000,
    ]);
  });

  it('forgets crashes older than the window: the delay falls back and the budget refills', () => {
    const policy = createRestartPolicy(defaultRestartPolicy);
    for (const timeMs of [0, 1_000, 2_000, 3_000, 4_000]) policy.onCrash(timeMs);
    // 60.5 s after the first crash only the four later ones are in the window, plus this one: five, still allowed.
    expect(policy.onCrash(60_500)).toEqual({ action: 'restart', delayMs: 8_000, restart: 6 });
    // Long after every earlier crash: back to the minimum delay; the restart count keeps counting.
    expect(policy.onCrash(200_000)).toEqual({ action: 'restart', delayMs: 500, restart: 7 });
  });
});
