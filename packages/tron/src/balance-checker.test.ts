// Proves the balance-checker ABI: a call's parameter decodes to the holders and tokens it was made from (the devnet
// reads it so), an answer's words decode to the balances in order, and arrays beyond their bound or cut short are
// refused rather than read as fewer balances.
import { describe, expect, it } from 'vitest';
import { parseTronAddress } from './address.ts';
import {
  balancesHoldersMax,
  decodeBalancesCall,
  decodeUintArray,
  encodeBalancesCall,
  encodeUintArray,
} from './balance-checker.ts';

const address = (byte: string) => parseTronAddress(`41${byte.repeat(20)}`);

describe('the balance-checker ABI', () => {
  it('round-trips a call and an answer', () => {
    const holders = [address('11'), address('22'), address('33')];
    const token = address('a6');
    const decoded = decodeBalancesCall(encodeBalancesCall(holders, [token]));
    expect(decoded).toEqual({ holders: holders.map((holder) => holder.hex20), tokens: [token.hex20] });
    const values = [0n, 1n, 10n ** 15n];
    expect(decodeUintArray(encodeUintArray(values), 10)).toEqual(values);
  });

  it('refuses an answer longer than asked for, or cut short', () => {
    expect(() => decodeUintArray(encodeUintArray([1n, 2n, 3n]), 2)).toThrow(RangeError);
    expect(() => decodeUintArray(encodeUintArray([1n, 2n, 3n]).slice(0, -64), 3)).toThrow(RangeError);
    const tooMany = Array.from({ length: balancesHoldersMax + 1 }, () => address('44'));
    expect(() => decodeBalancesCall(encodeBalancesCall(tooMany, [address('a6')]))).toThrow(RangeError);
  });
});
