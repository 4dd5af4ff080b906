// Proves the user event's schema: every kind with amounts as decimal strings and their asset is accepted; a JSON
// number where an amount goes, an amount finer than its asset, an unknown asset, an unknown kind and an extra field
// are refused.
import { describe, expect, it } from 'vitest';
import { parseMinorUnits, USD, USDT } from '@cardgate/money';
import { userEventMoney, userEventSchema } from './user-event.ts';

const txId = 'ab'.repeat(32);

describe('userEventSchema', () => {
  it('accepts each kind with decimal-string amounts', () => {
    const events = [
      {
        key: 'a',
        kind: 'deposit.seen',
        data: { txId, logIndex: 0, amount: { amount: '25.500000', asset: 'USDT' } },
      },
      {
        key: 'b',
        kind: 'deposit.confirmations',
        data: { txId, logIndex: 1, confirmations: 4, confirmationsNeeded: 19 },
      },
      {
        key: 'c',
        kind: 'deposit.credited',
        data: {
          txId,
          logIndex: 0,
          gross: userEventMoney(parseMinorUnits('25500000', USDT)),
          fee: { amount: '0.755000', asset: 'USDT' },
          net: { amount: '24.745000', asset: 'USDT' },
        },
      },
      {
        key: 'd',
        kind: 'card.loaded',
        data: { cardId: 'crd_1', amount: userEventMoney(parseMinorUnits('1999', USD)) },
      },
      {
        key: 'e',
        kind: 'card.transaction',
        data: {
          cardId: 'crd_1',
          transactionId: 'txn_1',
          pending: { amount: '0.00', asset: 'USD' },
          debited: { amount: '12.34', asset: 'USD' },
          credited: { amount: '0.00', asset: 'USD' },
          expired: false,
        },
      },
    ];
    for (const event of events) expect(userEventSchema.parse(event)).toEqual(event);
    expect(events[3]?.data).toMatchObject({ amount: { amount: '19.99', asset: 'USD' } });
  });

  it('refuses numbers, finer amounts, unknown assets and kinds, and extra fields', () => {
    const loaded = (amount: unknown, extra: object = {}) => ({
      key: 'k',
      kind: 'card.loaded',
      data: { cardId: 'crd_1', amount, ...extra },
    });
    const refused = [
      loaded({ amount: 19.99, asset: 'USD' }),
      loaded({ amount: '19.999', asset: 'USD' }),
      loaded({ amount: '19.99', asset: 'XYZ' }),
      loaded({ amount: '19.99', asset: 'USD' }, { note: 'x' }),
      { key: 'k', kind: 'card.stolen', data: {} },
    ];
    for (const event of refused)
      expect(userEventSchema.safeParse(event).success, JSON.stringify(event)).toBe(false);
  });
});
