// Proves an intent key is a version 4 UUID, new for each intent, also where crypto.randomUUID is missing (http on a
// LAN address), and that only an unknown outcome (no answer, a server error, a rate limit) keeps the key for a retry.
import { describe, expect, it } from 'vitest';
import { ApiProblem, type ProblemKind } from './api/problem.ts';
import { isOutcomeUnknown, newIntentKey } from './intent-key.ts';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('intent keys', () => {
  it('are version 4 UUIDs, different each time', () => {
    const keys = new Set(Array.from({ length: 100 }, newIntentKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(uuidV4);
  });

  it('are made from getRandomValues where randomUUID is missing', () => {
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(typeof crypto.randomUUID).toBe('undefined');
      const key = newIntentKey();
      expect(key).toMatch(uuidV4);
      expect(newIntentKey()).not.toBe(key);
    } finally {
      Reflect.deleteProperty(crypto, 'randomUUID');
    }
  });

  it('are kept for a retry only when the outcome is unknown', () => {
    const problem = (kind: ProblemKind) => new ApiProblem(kind, 0, kind, kind, '');
    expect(isOutcomeUnknown(problem('network'))).toBe(true);
    expect(isOutcomeUnknown(problem('unavailable'))).toBe(true);
    expect(isOutcomeUnknown(problem('rate_limited'))).toBe(true);
    expect(isOutcomeUnknown(problem('refused'))).toBe(false);
    expect(isOutcomeUnknown(problem('conflict'))).toBe(false);
    expect(isOutcomeUnknown(problem('session'))).toBe(false);
  });
});
