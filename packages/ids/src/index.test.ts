// Proves the id forms: random ids are unique and of the documented shape; derived ids are stable for the same parts
// and differ when any part differs (parts are length-prefixed, so ('ab','c') and ('a','bc') name different ids).
import { describe, expect, it } from 'vitest';
import { derivedId, isId, randomId } from './index.ts';

describe('ids', () => {
  it('makes random ids of the documented shape, without repeats', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomId('usr')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(isId('usr', id)).toBe(true);
  });

  it('derives the same id from the same parts, another from other parts', () => {
    expect(derivedId('crd', 'user:1', 'key-1')).toBe(derivedId('crd', 'user:1', 'key-1'));
    expect(derivedId('crd', 'user:1', 'key-1')).not.toBe(derivedId('crd', 'user:1', 'key-2'));
    expect(derivedId('crd', 'ab', 'c')).not.toBe(derivedId('crd', 'a', 'bc'));
    expect(isId('crd', derivedId('crd', 'x'))).toBe(true);
  });

  it('refuses a prefix that is not 2-8 lowercase letters', () => {
    expect(() => randomId('USR')).toThrow(/prefix/);
    expect(() => derivedId('x', 'a')).toThrow(/prefix/);
  });
});
