// Standard Webhooks signatures, as card providers send them: headers `webhook-id`, `webhook-timestamp` (seconds) and
// `webhook-signature` (space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), secret `whsec_<base64>`.
// A delivery is genuine only if one of its v1 signatures matches (compared in constant time) and its timestamp is
// within the tolerance in either direction, so a captured delivery cannot be replayed later.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { AppError } from '@cardgate/errors';

export const webhookToleranceSecondsDefault = 5 * 60;

export type WebhookRejection =
  'missing_headers' | 'malformed_secret' | 'stale_timestamp' | 'future_timestamp' | 'bad_signature';

export class WebhookVerificationError extends AppError {
  override readonly reason: WebhookRejection;
  constructor(reason: WebhookRejection, message: string) {
    // Stale and future timestamps are a 400 (the request is malformed for us); a bad signature is a 401.
    super(
      reason === 'bad_signature' || reason === 'missing_headers' ? 'unauthenticated' : 'invalid_input',
      message,
      { reason },
    );
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}

export interface WebhookHeaders {
  readonly id: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
}

function secretBytes(secret: string): Buffer {
  if (!secret.startsWith('whsec_'))
    throw new WebhookVerificationError('malformed_secret', 'webhook secret must start with whsec_');
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64');
  if (bytes.length < 16)
    throw new WebhookVerificationError('malformed_secret', 'webhook secret is too short');
  return bytes;
}

// Turning raw bytes into an HMAC key costs more than the HMAC of a small body, so each secret's key is made once.
const keysBySecret = new Map<string, KeyObject>();
const keysCachedMax = 16;

function keyOf(secret: string): KeyObject {
  let key = keysBySecret.get(secret);
  if (!key) {
    key = createSecretKey(secretBytes(secret));
    if (keysBySecret.size >= keysCachedMax) keysBySecret.clear();
    keysBySecret.set(secret, key);
  }
  return key;
}

export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/** Throws WebhookVerificationError unless the delivery is genuine and fresh. `body` is the raw request body. */
export function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string,
  nowSeconds: number,
  toleranceSeconds = webhookToleranceSecondsDefault,
): void {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature)
    throw new WebhookVerificationError(
      'missing_headers',
      'webhook-id, webhook-timestamp and webhook-signature are required',
    );
  if (!/^\d{1,12}$/.test(timestamp))
    throw new WebhookVerificationError('stale_timestamp', 'webhook-timestamp is not a number of seconds');
  const sentSeconds = Number(timestamp);
  if (sentSeconds < nowSeconds - toleranceSeconds)
    throw new WebhookVerificationError('stale_timestamp', 'webhook-timestamp is older than the tolerance');
  if (sentSeconds > nowSeconds + toleranceSeconds)
    throw new WebhookVerificationError('future_timestamp', 'webhook-timestamp is in the future');
  const expected = Buffer.from(signWebhook(secret, id, sentSeconds, body).slice(3), 'base64');
  // Several signatures may be sent during a secret rotation; any valid v1 one is enough.
  const matches = signature.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const received = Buffer.from(value, 'base64');
    return received.length === expected.length && timingSafeEqual(received, expected);
  });
  if (!matches) throw new WebhookVerificationError('bad_signature', 'no webhook signature matches');
}
