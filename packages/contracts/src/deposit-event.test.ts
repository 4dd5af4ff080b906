// Proves the deposit event schema refuses what a faulty writer could put in an outbox payload: an amount as a JSON
// number, zero, negative, with a leading zero or above the asset's bound, an unknown asset, a missing or an extra
// field, a sequence below 1; and that the amount becomes exact Money through the money package.
import { describe, expect, it } from 'vitest';
import { USDT } from '@cardgate/money';
import type { DepositEvent } from './deposit.ts';
import { depositEventAmount, depositEventSchema } from './deposit-event.ts';

const valid: DepositEvent = {
  txId: 'ab'.repeat(32),
  logIndex: 0,
  chain: 'tron',
  tokenContract: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
  asset: 'USDT',
  from: 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8',
  to: 'TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE',
  amountMinor: '9007199254740993',
  blockNumber: '100',
  blockHash: 'cd'.repeat(32),
  blockTimestampMs: '1790000000000',
  event: 'final',
  sequence: 2,
};

describe('deposit event schema', () => {
  it('accepts a well-formed event unchanged and turns its amount into exact Money', () => {
    expect(depositEventSchema.parse(valid)).toEqual(valid);
    const amount = depositEventAmount(valid);
    expect(amount.asset).toBe(USDT);
    expect(amount.minor).toBe(9_007_199_254_740_993n);
  });

  it.each([
    ['an amount as a JSON number', { amountMinor: 12_500_000 }],
    ['a zero amount', { amountMinor: '0' }],
    ['a negative amount', { amountMinor: '-1' }],
    ['a leading zero', { amountMinor: '012' }],
    ['a decimal point', { amountMinor: '12.5' }],
    ['an amount above the asset bound', { amountMinor: (USDT.minorMax + 1n).toString() }],
    ['an unknown asset', { asset: 'DOGE' }],
    ['an unknown event kind', { event: 'confirmed' }],
    ['a sequence below 1', { sequence: 0 }],
    ['a block number as a JSON number', { blockNumber: 100 }],
    ['an extra field', { memo: 'x' }],
  ])('refuses %s', (_what, change) => {
    expect(depositEventSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });

  it('refuses an event with a field missing', () => {
    const { blockHash: _blockHash, ...missing } = valid;
    expect(depositEventSchema.safeParse(missing).success).toBe(false);
  });
});
