// Proves Standard Webhooks verification: the published test vector verifies; a forged or tampered delivery, a
// signature under another secret, a stale or future timestamp and missing headers are each refused with their own
// reason; one good signature among several (secret rotation) is enough.
import { describe, expect, it } from 'vitest';
import {
  signWebhook,
  verifyWebhook,
  WebhookVerificationError,
  type WebhookRejection,
} from './webhook-signature.ts';

// The Standard Webhooks specification's example.
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = 1614265330;
const body = '{"test": 2432232314}';
const expectedSignature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

function reasonOf(attempt: () => void): WebhookRejection | undefined {
  try {
    attempt();
    return undefined;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
}

describe('Standard Webhooks', () => {
  it('signs and verifies the specification example', () => {
    expect(signWebhook(secret, id, timestamp, body)).toBe(expectedSignature);
    expect(() =>
      verifyWebhook(
        secret,
        { id, timestamp: String(timestamp), signature: expectedSignature },
        body,
        timestamp,
      ),
    ).not.toThrow();
  });

  it('refuses forged, tampered, foreign, stale, future and incomplete deliveries', () => {
    const headers = { id, timestamp: String(timestamp), signature: expectedSignature };
    const other = 'whsec_' + Buffer.from('another secret of thirty two b!!').toString('base64');
    expect(reasonOf(() => verifyWebhook(secret, headers, `${body} `, timestamp))).toBe('bad_signature');
    expect(reasonOf(() => verifyWebhook(secret, { ...headers, id: 'msg_other' }, body, timestamp))).toBe(
      'bad_signature',
    );
    expect(reasonOf(() => verifyWebhook(other, headers, body, timestamp))).toBe('bad_signature');
    expect(reasonOf(() => verifyWebhook(secret, { ...headers, signature: 'v1,AAAA' }, body, timestamp))).toBe(
      'bad_signature',
    );
    expect(reasonOf(() => verifyWebhook(secret, headers, body, timestamp + 301))).toBe('stale_timestamp');
    expect(reasonOf(() => verifyWebhook(secret, headers, body, timestamp - 301))).toBe('future_timestamp');
    expect(reasonOf(() => verifyWebhook(secret, { ...headers, signature: undefined }, body, timestamp))).toBe(
      'missing_headers',
    );
    expect(reasonOf(() => verifyWebhook(secret, { ...headers, timestamp: '1e9' }, body, timestamp))).toBe(
      'stale_timestamp',
    );
  });

  it('accepts one good signature among several, as during a secret rotation', () => {
    const signature = `v1,bm90IGl0 v2,whatever ${expectedSignature}`;
    expect(() =>
      verifyWebhook(secret, { id, timestamp: String(timestamp), signature }, body, timestamp + 299),
    ).not.toThrow();
  });

  it('maps a bad signature to 401 and a stale timestamp to 400', () => {
    const headers = { id, timestamp: String(timestamp), signature: expectedSignature };
    const errorOf = (attempt: () => void): WebhookVerificationError => {
      try {
        attempt();
      } catch (error) {
        return error as WebhookVerificationError;
      }
      throw new Error('expected a refusal');
    };
    expect(
      errorOf(() => verifyWebhook(secret, { ...headers, signature: 'v1,AAAA' }, body, timestamp)).httpStatus,
    ).toBe(401);
    expect(errorOf(() => verifyWebhook(secret, headers, body, timestamp + 1_000)).httpStatus).toBe(400);
  });
});
