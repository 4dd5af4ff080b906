// Request bodies as the API reads them: amounts as strings of minor units parsed to bigint, and one refusal shape
// for a body that does not match its schema (invalid_amount when the field at fault is an amount).
import { z } from 'zod';
import { parseAmountText } from './money-text.ts';
import { SandboxError } from './state.ts';

/** An amount string parsed to bigint; a number, sign, decimal point, leading zero or > 12 digits is refused. */
export const amount = z.unknown().transform((value, context) => {
  const parsed = parseAmountText(value);
  if (parsed === undefined) {
    context.addIssue({ code: 'custom', message: 'amount must be a string of integer minor units' });
    return z.NEVER;
  }
  return parsed;
});
export const token = z.string().min(1).max(64);
export const descriptor = z.string().min(1).max(128);

export function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.at(-1);
  const where = issue?.path.join('.') || 'body';
  if (typeof field === 'string' && field.endsWith('amount'))
    throw new SandboxError(400, 'invalid_amount', `${where}: must be a string of integer minor units`);
  throw new SandboxError(400, 'invalid_request', `${where}: ${issue?.message ?? 'invalid'}`);
}
