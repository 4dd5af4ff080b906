// Shapes every route shares: money as a decimal string with its asset, problem+json, cursor paging. Amounts are
// strings in both directions; a JSON number where an amount goes fails the schema (422), never coerced.
import { z } from '@hono/zod-openapi';
import { MoneyError, moneyToJson, parseMoney, USDT, type Asset, type Money } from '@cardgate/money';

export const moneySchema = z
  .object({
    amount: z
      .string()
      .regex(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/)
      .openapi({ example: '25.500000' }),
    asset: z.string().openapi({ example: 'USDT' }),
  })
  .openapi('Money');

export type MoneyBody = z.infer<typeof moneySchema>;

/**
 * Money or null. Written as a union, not `moneySchema.nullable()`: for a schema registered as a component the latter
 * becomes `allOf: [Money], type: [object, null]` in /openapi.json, which generators read as never null (the Mini App's
 * generated types said a deposit's fee was always there); the union is `anyOf: [Money, null]`.
 */
export function nullableMoney(description?: string) {
  const schema = z.union([moneySchema, z.null()]);
  return description === undefined ? schema : schema.openapi({ description });
}

export const money = (value: Money): MoneyBody => moneyToJson(value);

/** A positive amount of `asset` as a decimal string in major units ("25.5"); parsed exactly, never as a float. */
export function amountInput(asset: Asset = USDT) {
  return z
    .string()
    .max(64)
    .transform((value, context): Money => {
      try {
        return parseMoney(value, asset);
      } catch (error) {
        context.addIssue({
          code: 'custom',
          message: error instanceof MoneyError ? error.message : `not a ${asset.code} amount`,
        });
        return z.NEVER;
      }
    })
    .openapi({ type: 'string', example: '25.5', description: `${asset.code} amount, a decimal string` });
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    reason: z.string(),
    detail: z.string().optional(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    requestId: z.string().optional(),
  })
  .openapi('Problem');

const problemDescriptions: Record<number, string> = {
  400: 'Bad request (a required header is missing or malformed)',
  401: 'Not signed in: missing, forged or expired credentials',
  403: 'The operator token lacks the scope',
  404: 'Not found (or not yours)',
  409: 'Conflict (the state does not allow it, or the same Idempotency-Key is still running)',
  413: 'Request body too large',
  415: 'Content type must be application/json',
  422: 'Validation failed or a business rule refused it',
  429: 'Rate limited; see Retry-After',
  503: 'A dependency is unavailable, or the request took too long',
};

/** OpenAPI response entries for the listed problem statuses. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: problemDescriptions[status] ?? 'Problem',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    ]),
  );
}

/** Cursor paging: `cursor` is opaque; `limit` is bounded. */
export const pageQuerySchema = z.object({
  cursor: z.string().max(200).optional().openapi({ description: 'The nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const idempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .openapi({ description: 'Unique per intended operation (a UUID)' }),
});
