// Proves how operators' input is checked before anything is read or sent: a deposit is `<64 hex>:<log index>`
// (upper-case hex folded, a leading zero, a huge or missing index, a short tx id refused with a 422 naming it), ids
// use the flows' id alphabet, and a user query is 1-100 characters.
import { describe, expect, it } from 'vitest';
import { checkId, checkUserQuery, depositRefText, parseDepositRef } from './refs.ts';

describe('operator input', () => {
  it('parses a deposit reference and writes it back the same', () => {
    const txId = 'AB'.repeat(32);
    const ref = parseDepositRef(`${txId}:3`);
    expect(ref).toEqual({ txId: txId.toLowerCase(), logIndex: 3 });
    expect(depositRefText(ref)).toBe(`${txId.toLowerCase()}:3`);
  });

  it.each([
    ['no log index', `${'ab'.repeat(32)}`],
    ['a leading zero', `${'ab'.repeat(32)}:01`],
    ['an index beyond the bound', `${'ab'.repeat(32)}:999999`],
    ['a short tx id', 'abc:0'],
    ['not hex', `${'zz'.repeat(32)}:0`],
  ])('refuses a deposit with %s', (_what, text) => {
    expect(() => parseDepositRef(text)).toThrow(
      expect.objectContaining({ code: 'rule_violation', reason: 'invalid_deposit' }),
    );
  });

  it('checks ids and user queries', () => {
    expect(checkId('card id', 'crd_abc-1.2:3')).toBe('crd_abc-1.2:3');
    expect(() => checkId('card id', 'crd x')).toThrow(expect.objectContaining({ reason: 'invalid_card_id' }));
    expect(() => checkId('load id', 'a'.repeat(129))).toThrow(
      expect.objectContaining({ reason: 'invalid_load_id' }),
    );
    expect(checkUserQuery(' @alice ')).toBe('@alice');
    expect(() => checkUserQuery('   ')).toThrow(expect.objectContaining({ reason: 'invalid_user_query' }));
  });
});
