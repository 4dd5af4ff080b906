// What went wrong with an API call, sorted into the few kinds a user can act on. The screens show words for the kind
// (src/i18n), never a status code; `code` and `reason` come from the API's problem+json (RFC 9457) and are kept for
// the cases that need them (an expired quote, a limit).

export type ProblemKind =
  /** 401: the Telegram session (initData) is missing, forged or too old; reopening the app from the bot fixes it. */
  | 'session'
  /** No answer: offline, DNS, a dropped connection, a timeout. */
  | 'network'
  | 'not_found'
  /** 409: e.g. an expired quote, or the same request still running. */
  | 'conflict'
  /** 422: a business rule or limit refused it. */
  | 'refused'
  | 'invalid'
  | 'rate_limited'
  /** 5xx: the service failed; trying later may help. */
  | 'unavailable';

export class ApiProblem extends Error {
  readonly kind: ProblemKind;
  readonly code: string;
  readonly reason: string;
  readonly status: number;

  constructor(kind: ProblemKind, status: number, code: string, reason: string, detail: string) {
    super(detail);
    this.name = 'ApiProblem';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.reason = reason;
  }
}

export function problemKindOf(status: number): ProblemKind {
  if (status === 401) return 'session';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422) return 'refused';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'invalid';
}

/** Builds the problem from a response and its parsed body (problem+json or anything else the server sent). */
export function problemFromResponse(status: number, body: unknown): ApiProblem {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (key: string): string => (typeof record[key] === 'string' ? record[key] : '');
  const code = text('code') || `http_${status}`;
  return new ApiProblem(
    problemKindOf(status),
    status,
    code,
    text('reason') || code,
    text('detail') || text('title'),
  );
}

export function networkProblem(cause: unknown): ApiProblem {
  const problem = new ApiProblem('network', 0, 'network', 'network', String(cause));
  return problem;
}

export function asApiProblem(error: unknown): ApiProblem {
  return error instanceof ApiProblem ? error : networkProblem(error);
}
