// Proves a card load's quote and plan without a database: the quote keeps rate, spread, fee, gross and net with
// gross = net + spread + fee and names its config version; the plans place the USDT pending debit, post it with the
// quote's net to the card and its spread to revenue (no spread transfer for a zero spread), void it by the load's id,
// and refuse a quoted fee, which has no account.
import { describe, expect, it } from 'vitest';
import { isAppError } from '@cardgate/errors';
import { moneyFromMinor, parseMoney, USD, USDT } from '@cardgate/money';
import { planCardLoadPending, planCardLoadPost, planCardLoadVoid } from './card-load-plan.ts';
import { fxConfigVersion, quoteCardLoad } from './card-load-quote.ts';

const settings = { usdtUsdRate: '0.9995', spreadBasisPoints: 150n };
const quotedAt = new Date('2026-12-01T10:00:00.000Z');

describe('card load quote and plan', () => {
  it('quotes the whole load and names the configuration it was made under', () => {
    const quote = quoteCardLoad(parseMoney('50', USDT), settings, quotedAt);
    expect([quote.gross.minor, quote.spread.minor, quote.fee.minor, quote.net.minor]).toEqual([
      4_997n,
      75n,
      0n,
      4_922n,
    ]);
    expect(quote.gross.minor).toBe(quote.net.minor + quote.spread.minor + quote.fee.minor);
    expect(quote).toMatchObject({ rate: '0.9995', spreadBasisPoints: 150n, quotedAt });
    expect(quote.configVersion).toBe(fxConfigVersion(settings));
    expect(fxConfigVersion({ ...settings, spreadBasisPoints: 300n })).not.toBe(quote.configVersion);
  });

  it('plans the pending debit, the post with the quoted legs, and the void', () => {
    const quote = quoteCardLoad(parseMoney('50', USDT), settings, quotedAt);
    expect(
      planCardLoadPending({
        loadId: 'l1',
        cardId: 'c1',
        quote,
        accounts: { wallet: 1n, fxPositionUsdt: 2n },
      }),
    ).toMatchObject({
      type: 'pending',
      id: 'load:l1',
      debitAccountId: 1n,
      creditAccountId: 2n,
      amount: { minor: 50_000_000n },
    });
    const post = planCardLoadPost({
      loadId: 'l1',
      providerLoadToken: 'tok',
      quote,
      accounts: { card: 3n, fxPositionUsd: 4n, fxSpread: 5n },
    });
    expect(
      post.map((transfer) => [
        transfer.type,
        transfer.id,
        'amount' in transfer ? transfer.amount?.minor : null,
      ]),
    ).toEqual([
      ['post_pending', 'load:l1:post', null],
      ['posted', 'load:l1:usd', 4_922n],
      ['posted', 'load:l1:spread', 75n],
    ]);
    const noSpread = planCardLoadPost({
      loadId: 'l1',
      providerLoadToken: 'tok',
      quote: { ...quote, spread: moneyFromMinor(0n, USD) },
      accounts: { card: 3n, fxPositionUsd: 4n, fxSpread: 5n },
    });
    expect(noSpread.map((transfer) => transfer.id)).toEqual(['load:l1:post', 'load:l1:usd']);
    expect(planCardLoadVoid('l1')).toEqual({
      type: 'void_pending',
      id: 'load:l1:void',
      code: 'card_load',
      pendingId: 'load:l1',
    });
  });

  it('refuses to post a quoted fee, which no account receives', () => {
    const quote = {
      ...quoteCardLoad(parseMoney('50', USDT), settings, quotedAt),
      fee: moneyFromMinor(1n, USD),
    };
    let refusal: unknown;
    try {
      planCardLoadPost({
        loadId: 'l1',
        providerLoadToken: 'tok',
        quote,
        accounts: { card: 3n, fxPositionUsd: 4n, fxSpread: 5n },
      });
    } catch (error) {
      refusal = error;
    }
    expect(isAppError(refusal) && refusal.reason).toBe('load_fee_unsupported');
  });
});
