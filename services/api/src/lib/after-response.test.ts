// Proves the bounds of work left running after a response: a task runs without the caller waiting; a failing task is
// tried attemptsMax times and then left (logged, never thrown at anyone); past inFlightMax the caller runs its task
// itself and gets its outcome; drain waits for running work and gives up after its time limit.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { testLogger } from '@cardgate/test-harness';
import { createAfterResponse } from './after-response.ts';

const settings = { inFlightMax: 2, attemptsMax: 3, retryDelayMs: 1 };

describe('after-response work', () => {
  it('runs a task without the caller waiting, and drain waits for it', async () => {
    const work = createAfterResponse(testLogger('after-response'), settings);
    let done = false;
    await work.run('slow', async () => {
      await sleep(30);
      done = true;
    });
    expect(done).toBe(false);
    expect(work.inFlight).toBe(1);
    expect(await work.drain(1_000)).toBe(true);
    expect(done).toBe(true);
    expect(work.inFlight).toBe(0);
  });

  it('tries a failing task attemptsMax times, then leaves it', async () => {
    const work = createAfterResponse(testLogger('after-response'), settings);
    let attempts = 0;
    await work.run('failing', () => {
      attempts += 1;
      return Promise.reject(new Error('refused'));
    });
    expect(await work.drain(1_000)).toBe(true);
    expect(attempts).toBe(3);
  });

  it('makes the caller run its task itself past inFlightMax, with its outcome', async () => {
    const work = createAfterResponse(testLogger('after-response'), settings);
    const release: (() => void)[] = [];
    for (let index = 0; index < 2; index += 1)
      await work.run('held', () => new Promise<void>((resolve) => release.push(resolve)));
    expect(work.inFlight).toBe(2);
    await expect(work.run('inline', () => Promise.reject(new Error('inline failure')))).rejects.toThrow(
      'inline failure',
    );
    expect(await work.drain(20)).toBe(false);
    for (const resolve of release) resolve();
    expect(await work.drain(1_000)).toBe(true);
  });
});
