// What every request carries through the API: its id and logger (request-context), and who is calling once an
// auth middleware has run: a Mini App user (Telegram initData) or an operator (bearer token).
import type { Logger } from '@cardgate/config';
import type { Operator } from '@cardgate/operators';
import type { User } from '@cardgate/users';

export interface ApiVariables {
  requestId: string;
  logger: Logger;
  /** Set by telegramAuth on /v1 user routes. */
  user: User;
  /** Set by operatorAuth on /v1/ops routes. */
  operator: Operator;
  /** Set by the per-IP rate limit: the answer of the address's budget, awaited before the route (see rate-limit). */
  addressBudget: () => Promise<void>;
}

export interface AppEnv {
  Variables: ApiVariables;
}
