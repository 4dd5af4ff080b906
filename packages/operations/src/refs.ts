// The names operators type or send for what they act on, checked once here for the API and the command line alike:
// a deposit is `<tx id>:<log index>`, loads, cards and workflows by their ids. A malformed one is a 422 that names it.
import { AppError } from '@cardgate/errors';

export interface DepositRef {
  readonly txId: string;
  readonly logIndex: number;
}

/** Log indexes of one transaction stay far below this; a larger one is a typo. */
const logIndexMax = 100_000;

function invalid(what: string, value: string, expected: string): AppError {
  return new AppError('rule_violation', `${what} ${JSON.stringify(value.slice(0, 80))} is not ${expected}`, {
    reason: `invalid_${what.replaceAll(' ', '_')}`,
  });
}

/** `<64 hex digits>:<log index>` (the form the command line, the API paths and the audit use). */
export function parseDepositRef(text: string): DepositRef {
  const match = /^([0-9a-fA-F]{64}):(0|[1-9][0-9]{0,5})$/.exec(text);
  const logIndex = match ? Number(match[2]) : Number.NaN;
  if (!match?.[1] || !(logIndex <= logIndexMax))
    throw invalid('deposit', text, '<tx id (64 hex digits)>:<log index>');
  return { txId: match[1].toLowerCase(), logIndex };
}

export const depositRefText = (ref: DepositRef): string => `${ref.txId}:${ref.logIndex}`;

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** A card id, load id, workflow id or provider token: 1-128 characters of the id alphabet every flow uses. */
export function checkId(what: string, text: string): string {
  if (!idPattern.test(text)) throw invalid(what, text, 'an id (letters, digits, _ . : -, at most 128)');
  return text;
}

/** What an operator looks a user up by: a Cardgate id, @username or Telegram id. */
export function checkUserQuery(text: string): string {
  const query = text.trim();
  if (query.length < 1 || query.length > 100)
    throw invalid('user query', text, 'a Cardgate id, @username or Telegram id');
  return query;
}
