// Proves endpoint failover decisions: an erroring endpoint is left for the next one within the same call, a 429
// rests the endpoint for the time it asked, an endpoint that falls behind is abandoned, and when every endpoint
// fails the caller gets the error (the watcher loop then backs off).
import { describe, expect, it } from 'vitest';
import { createFailoverSource } from './failover-source.ts';
import { ScriptedChain } from './testing/scripted-chain.ts';
import type { ChainSource } from './chain-source.ts';

class FlakySource extends ScriptedChain {
  failures: Error[] = [];
  constructor(label: string) {
    super(0, label);
  }
  override async head() {
    const failure = this.failures.shift();
    if (failure) throw failure;
    return super.head();
  }
}

function rateLimited(retryAfterMs: number): Error {
  return Object.assign(new Error('HTTP 429'), { retryAfterMs });
}

describe('failover source', () => {
  it('moves to the next endpoint when one errors, within the same call', async () => {
    const a = new FlakySource('a');
    const b = new FlakySource('b');
    a.failures.push(new Error('HTTP 502'));
    const clock = 0;
    const source = createFailoverSource({
      sources: [a, b] as ChainSource[],
      behindBlocksMax: 10,
      headCheckIntervalMs: Number.MAX_SAFE_INTEGER,
      coolDownMsMin: 100,
      coolDownMsMax: 1_000,
      now: () => clock,
    });
    expect((await source.head()).number).toBe(0);
    expect(source.currentName()).toBe('b');
  });

  it('rests an endpoint for as long as its 429 asks', async () => {
    const a = new FlakySource('a');
    const b = new FlakySource('b');
    let clock = 10_000_000;
    const source = createFailoverSource({
      sources: [a, b] as ChainSource[],
      behindBlocksMax: 10,
      headCheckIntervalMs: Number.MAX_SAFE_INTEGER,
      coolDownMsMin: 100,
      coolDownMsMax: 1_000,
      now: () => clock,
    });
    a.failures.push(rateLimited(5_000));
    await source.head(); // a: 429 → b
    b.failures.push(new Error('HTTP 503'));
    await source.head(); // b fails; a rests for 5 s, b only 100 ms: b is tried again and answers
    expect(source.currentName()).toBe('b');
    clock += 6_000;
    b.failures.push(new Error('HTTP 503'));
    await source.head(); // a's rest is over: it takes the call
    expect(source.currentName()).toBe('a');
  });

  it('abandons an endpoint that falls behind the best head', async () => {
    const a = new FlakySource('a');
    const b = new FlakySource('b');
    b.produceMany(30);
    const switches: string[] = [];
    const source = createFailoverSource({
      sources: [a, b] as ChainSource[],
      behindBlocksMax: 10,
      headCheckIntervalMs: 0,
      coolDownMsMin: 100,
      coolDownMsMax: 1_000,
      onSwitch: (from, to, reason) => switches.push(`${from}->${to}: ${reason}`),
    });
    expect((await source.head()).number).toBe(30);
    expect(switches).toEqual(['a->b: behind by 30 blocks']);
  });

  it('gives the caller the error when every endpoint fails', async () => {
    const a = new FlakySource('a');
    const b = new FlakySource('b');
    a.failures.push(new Error('down a'));
    b.failures.push(new Error('down b'));
    const source = createFailoverSource({
      sources: [a, b] as ChainSource[],
      behindBlocksMax: 10,
      headCheckIntervalMs: Number.MAX_SAFE_INTEGER,
      coolDownMsMin: 100,
      coolDownMsMax: 1_000,
    });
    await expect(source.head()).rejects.toThrow('down b');
  });
});
