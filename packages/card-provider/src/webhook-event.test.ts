// Proves webhook parsing: a genuine delivery becomes a normalized event; a forged, stale or malformed one (an amount
// sent as a JSON number, an unknown kind) is refused with a precise reason.
import { describe, expect, it } from 'vitest';
import { parseWebhook, WebhookPayloadError } from './webhook-event.ts';
import { signWebhook, WebhookVerificationError } from './webhook-signature.ts';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const now = 1_790_000_000;

function body(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    event_id: 'evt_1',
    event_type: 'card_transaction.updated',
    created: '2026-11-26T10:00:00.000Z',
    payload: {
      transaction_token: 'txn_1',
      card_token: 'card_1',
      kind: 'CLEARING',
      result: 'APPROVED',
      sequence: 2,
      amount: '1250',
      currency: 'USD',
      merchant_amount: '1150',
      merchant_currency: 'EUR',
      mcc: '5812',
      descriptor: 'COFFEE',
      ...overrides,
    },
  });
}

const headersFor = (raw: string, timestamp = now) => ({
  id: 'evt_1',
  timestamp: String(timestamp),
  signature: signWebhook(secret, 'evt_1', timestamp, raw),
});

describe('webhook parsing', () => {
  it('turns a genuine delivery into a normalized event with amounts in minor units', () => {
    const raw = body();
    expect(parseWebhook(secret, headersFor(raw), raw, now)).toEqual({
      eventId: 'evt_1',
      kind: 'CLEARING',
      result: 'APPROVED',
      providerTransactionId: 'txn_1',
      cardToken: 'card_1',
      sequence: 2,
      amountMinor: '1250',
      currency: 'USD',
      merchantAmountMinor: '1150',
      merchantCurrency: 'EUR',
      mcc: '5812',
      descriptor: 'COFFEE',
      occurredAt: '2026-11-26T10:00:00.000Z',
    });
  });

  it('refuses a forged signature and a stale timestamp before reading the body', () => {
    const raw = body();
    expect(() => parseWebhook(secret, { ...headersFor(raw), signature: 'v1,AAAA' }, raw, now)).toThrow(
      WebhookVerificationError,
    );
    const stale = headersFor(raw, now - 301);
    expect(() => parseWebhook(secret, stale, raw, now)).toThrow(/older than the tolerance/);
  });

  it('refuses an amount sent as a JSON number, a decimal amount and an unknown kind', () => {
    for (const overrides of [{ amount: 1250 }, { amount: '12.50' }, { kind: 'MYSTERY' }, { sequence: '1' }]) {
      const raw = body(overrides);
      expect(() => parseWebhook(secret, headersFor(raw), raw, now)).toThrow(WebhookPayloadError);
    }
  });
});
