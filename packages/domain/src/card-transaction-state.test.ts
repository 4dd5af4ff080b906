// Proves the card transaction target is a function of the set of events: any order and any repeats give the same
// ledger effect, and each kind in the table atop card-transaction-state.ts moves the pending debit, debits and
// credits as it says.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CardTransactionEvent, CardTransactionEventKind } from '@cardgate/contracts';
import { authorizationLifetimeDays, pendingExpiresAtMs, targetOf } from './card-transaction-state.ts';

let eventNumber = 0;
function event(
  kind: CardTransactionEventKind,
  amountMinor: bigint,
  sequence: number,
  extra: Partial<CardTransactionEvent> = {},
): CardTransactionEvent {
  eventNumber += 1;
  return {
    eventId: `evt_${eventNumber}`,
    kind,
    result: 'APPROVED',
    providerTransactionId: 'txn_1',
    cardToken: 'card_1',
    sequence,
    amountMinor: amountMinor.toString(),
    currency: 'USD',
    merchantAmountMinor: null,
    merchantCurrency: null,
    mcc: '5812',
    descriptor: 'SHOP',
    occurredAt: '2026-11-01T00:00:00.000Z',
    ...extra,
  };
}

const open = { expired: false };

describe('card transaction target', () => {
  it('holds an approved authorization, and nothing for a declined one', () => {
    expect(targetOf([event('AUTHORIZATION', 1_000n, 1)], open)).toEqual({
      pendingDebitMinor: 1_000n,
      pendingCreditMinor: 0n,
      debitedMinor: 0n,
      creditedMinor: 0n,
    });
    expect(
      targetOf([event('AUTHORIZATION', 1_000n, 1, { result: 'INSUFFICIENT_FUNDS' })], open).pendingDebitMinor,
    ).toBe(0n);
  });

  it('moves the hold to the latest advice, releases reversals, and posts clearings (several, lower or higher)', () => {
    const authorization = event('AUTHORIZATION', 1_000n, 1);
    const advice = event('AUTHORIZATION_ADVICE', 1_500n, 2);
    expect(targetOf([authorization, advice], open).pendingDebitMinor).toBe(1_500n);
    const partialReversal = event('AUTHORIZATION_REVERSAL', 200n, 3);
    expect(targetOf([authorization, advice, partialReversal], open).pendingDebitMinor).toBe(1_300n);
    const firstClearing = event('CLEARING', 500n, 4);
    expect(targetOf([authorization, advice, partialReversal, firstClearing], open)).toEqual({
      pendingDebitMinor: 800n,
      pendingCreditMinor: 0n,
      debitedMinor: 500n,
      creditedMinor: 0n,
    });
    const secondClearing = event('CLEARING', 1_000n, 5); // more than what is left: the hold goes to zero
    expect(targetOf([authorization, advice, partialReversal, firstClearing, secondClearing], open)).toEqual({
      pendingDebitMinor: 0n,
      pendingCreditMinor: 0n,
      debitedMinor: 1_500n,
      creditedMinor: 0n,
    });
  });

  it('releases what is left at expiry, by the provider event or the timer, and still posts a later clearing', () => {
    const authorization = event('AUTHORIZATION', 1_000n, 1);
    expect(targetOf([authorization, event('AUTHORIZATION_EXPIRY', 1_000n, 2)], open).pendingDebitMinor).toBe(
      0n,
    );
    expect(targetOf([authorization], { expired: true }).pendingDebitMinor).toBe(0n);
    expect(targetOf([authorization, event('CLEARING', 900n, 3)], { expired: true })).toEqual({
      pendingDebitMinor: 0n,
      pendingCreditMinor: 0n,
      debitedMinor: 900n,
      creditedMinor: 0n,
    });
  });

  it('posts single-message debits, force posts, returns and return reversals', () => {
    expect(targetOf([event('FINANCIAL_AUTHORIZATION', 4_000n, 1)], open).debitedMinor).toBe(4_000n);
    expect(
      targetOf([event('FINANCIAL_AUTHORIZATION', 4_000n, 1, { result: 'INSUFFICIENT_FUNDS' })], open)
        .debitedMinor,
    ).toBe(0n);
    // A force post is a clearing with no authorization: a debit, no hold.
    expect(targetOf([event('CLEARING', 700n, 1)], open)).toEqual({
      pendingDebitMinor: 0n,
      pendingCreditMinor: 0n,
      debitedMinor: 700n,
      creditedMinor: 0n,
    });
    expect(targetOf([event('RETURN', 300n, 1), event('RETURN_REVERSAL', 300n, 2)], open)).toEqual({
      pendingDebitMinor: 0n,
      pendingCreditMinor: 0n,
      debitedMinor: 300n,
      creditedMinor: 300n,
    });
  });

  it('gives the same target for any order and any repetition of the same events', () => {
    const events = [
      event('AUTHORIZATION', 2_000n, 1),
      event('AUTHORIZATION_ADVICE', 2_500n, 2),
      event('AUTHORIZATION_REVERSAL', 100n, 3),
      event('CLEARING', 1_000n, 4),
      event('CLEARING', 400n, 5),
    ];
    const expected = targetOf(events, open);
    expect(expected).toEqual({
      pendingDebitMinor: 1_000n,
      pendingCreditMinor: 0n,
      debitedMinor: 1_400n,
      creditedMinor: 0n,
    });
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        (shuffled) => {
          // Repeats carry the same event id; the workflow keeps one of each, so deduplicate the same way here.
          const once = [...new Map([...shuffled, ...shuffled].map((item) => [item.eventId, item])).values()];
          expect(targetOf(once, open)).toEqual(expected);
        },
      ),
    );
  });
});

describe('credits, corrections and inquiries', () => {
  it('keeps a credit authorization pending until credits settle it, and releases it at expiry', () => {
    const creditAuthorization = event('CREDIT_AUTHORIZATION', 2_000n, 1);
    expect(targetOf([creditAuthorization], open)).toEqual({
      pendingDebitMinor: 0n,
      pendingCreditMinor: 2_000n,
      debitedMinor: 0n,
      creditedMinor: 0n,
    });
    const partly = event('FINANCIAL_CREDIT_AUTHORIZATION', 1_500n, 2);
    expect(targetOf([creditAuthorization, partly], open)).toMatchObject({
      pendingCreditMinor: 500n,
      creditedMinor: 1_500n,
    });
    expect(targetOf([creditAuthorization], { expired: true }).pendingCreditMinor).toBe(0n);
  });

  it('posts corrections both ways and moves nothing for a balance inquiry', () => {
    expect(targetOf([event('CORRECTION_CREDIT', 120n, 1)], open)).toMatchObject({
      creditedMinor: 120n,
      debitedMinor: 0n,
    });
    expect(targetOf([event('CORRECTION_DEBIT', 80n, 1)], open)).toMatchObject({
      creditedMinor: 0n,
      debitedMinor: 80n,
    });
    expect(targetOf([event('BALANCE_INQUIRY', 0n, 1)], open)).toEqual({
      pendingDebitMinor: 0n,
      pendingCreditMinor: 0n,
      debitedMinor: 0n,
      creditedMinor: 0n,
    });
  });
});

describe('authorization lifetime', () => {
  it('is 30 days for hotels, car rental, mail order and cruises, 7 otherwise', () => {
    for (const mcc of ['3501', '3790', '7011', '3351', '3441', '5960', '5969', '4411'])
      expect(authorizationLifetimeDays(mcc)).toBe(30);
    for (const mcc of ['3500', '3791', '5812', '3350', '3442', '5970', null, 'abcd'])
      expect(authorizationLifetimeDays(mcc)).toBe(7);
  });

  it('counts from the first approved authorization, and a test override replaces it', () => {
    const authorization = event('AUTHORIZATION', 1n, 1, { mcc: '7011' });
    const start = Date.parse(authorization.occurredAt);
    expect(pendingExpiresAtMs([authorization])).toBe(start + 30 * 86_400_000);
    expect(pendingExpiresAtMs([authorization], 1_000)).toBe(start + 1_000);
    expect(pendingExpiresAtMs([event('CLEARING', 1n, 1)])).toBeNull();
  });
});
