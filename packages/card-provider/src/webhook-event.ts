// Turns a verified webhook delivery into Cardgate's normalized card transaction event. The body is checked field by
// field: amounts must be strings of integer minor units (a JSON number is refused, never coerced).
import { AppError } from '@cardgate/errors';
import { parseMinorUnits, assetByCode, MoneyError } from '@cardgate/money';
import { cardTransactionEventKinds, type CardTransactionEvent } from '@cardgate/contracts';
import { z } from 'zod';
import { verifyWebhook, type WebhookHeaders } from './webhook-signature.ts';

export const webhookBodyBytesMax = 64 * 1024;

const minorText = z.string().max(20);
const webhookBody = z.object({
  event_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
  event_type: z.literal('card_transaction.updated'),
  created: z.iso.datetime({ offset: true }),
  payload: z.object({
    transaction_token: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    card_token: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    kind: z.enum(cardTransactionEventKinds),
    result: z.string().regex(/^[A-Z_]{1,64}$/),
    sequence: z.number().int().min(1).max(1_000_000),
    amount: minorText,
    currency: z.string().regex(/^[A-Z]{3}$/),
    merchant_amount: minorText.nullish(),
    merchant_currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullish(),
    mcc: z
      .string()
      .regex(/^[0-9]{4}$/)
      .nullish(),
    descriptor: z.string().max(128).nullish(),
  }),
});

export class WebhookPayloadError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('invalid_input', message, { reason: 'malformed_webhook', cause });
    this.name = 'WebhookPayloadError';
  }
}

/** Checks the body only (the signature must already be verified). */
export function parseWebhookBody(rawBody: string): CardTransactionEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    throw new WebhookPayloadError('webhook body is not JSON', error);
  }
  const parsed = webhookBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WebhookPayloadError(
      `webhook body is malformed at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const { payload } = parsed.data;
  try {
    const asset = assetByCode(payload.currency);
    const amount = parseMinorUnits(payload.amount, asset, { allowZero: true });
    const merchantAmount =
      payload.merchant_amount != null && payload.merchant_currency != null
        ? parseMinorUnits(payload.merchant_amount, assetByCode(payload.merchant_currency), {
            allowZero: true,
          })
        : null;
    return {
      eventId: parsed.data.event_id,
      kind: payload.kind,
      result: payload.result,
      providerTransactionId: payload.transaction_token,
      cardToken: payload.card_token,
      sequence: payload.sequence,
      amountMinor: amount.minor.toString(),
      currency: asset.code,
      merchantAmountMinor: merchantAmount ? merchantAmount.minor.toString() : null,
      merchantCurrency: merchantAmount ? merchantAmount.asset.code : null,
      mcc: payload.mcc ?? null,
      descriptor: payload.descriptor ?? null,
      occurredAt: new Date(parsed.data.created).toISOString(),
    };
  } catch (error) {
    if (error instanceof MoneyError) throw new WebhookPayloadError(`webhook amount: ${error.message}`, error);
    throw error;
  }
}

/** Verifies then parses: a forged or stale delivery never reaches the parser. */
export function parseWebhook(
  secret: string,
  headers: WebhookHeaders,
  rawBody: string,
  nowSeconds: number,
): CardTransactionEvent {
  verifyWebhook(secret, headers, rawBody, nowSeconds);
  return parseWebhookBody(rawBody);
}
