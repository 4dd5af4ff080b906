// One error class for every expected failure in Cardgate. `code` is from a closed set and decides the HTTP status
// and whether a caller may retry; `reason` is the precise, module-specific cause (for example the ledger's
// 'insufficient_funds'), safe to show to API clients; `internalMessage` is for logs only.

export const errorCodes = {
  invalid_input: { httpStatus: 400, retryable: false },
  unauthenticated: { httpStatus: 401, retryable: false },
  forbidden: { httpStatus: 403, retryable: false },
  not_found: { httpStatus: 404, retryable: false },
  method_not_allowed: { httpStatus: 405, retryable: false },
  conflict: { httpStatus: 409, retryable: false },
  payload_too_large: { httpStatus: 413, retryable: false },
  unsupported_media_type: { httpStatus: 415, retryable: false },
  rule_violation: { httpStatus: 422, retryable: false },
  rate_limited: { httpStatus: 429, retryable: true },
  unavailable: { httpStatus: 503, retryable: true },
  /** The outcome is unknown: the operation may or may not have taken effect (a timeout, a dropped connection). */
  ambiguous: { httpStatus: 504, retryable: true },
  internal: { httpStatus: 500, retryable: false },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface AppErrorOptions {
  /** A stable, machine-readable cause within the code, e.g. 'insufficient_funds'. */
  readonly reason?: string;
  /** Text for logs and operators; never sent to clients for 5xx responses. */
  readonly internalMessage?: string;
  /** Structured, client-safe facts about the failure (a field name, a limit). */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly reason: string;
  readonly publicMessage: string;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;

  constructor(code: ErrorCode, publicMessage: string, options: AppErrorOptions = {}) {
    super(
      options.internalMessage ?? publicMessage,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'AppError';
    this.code = code;
    this.reason = options.reason ?? code;
    this.publicMessage = publicMessage;
    this.details = options.details ?? {};
  }

  get httpStatus(): number {
    return errorCodes[this.code].httpStatus;
  }

  get retryable(): boolean {
    return errorCodes[this.code].retryable;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** RFC 9457 problem details body. 5xx bodies never carry internal text. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly reason: string;
  readonly detail?: string;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
  readonly requestId?: string;
}

export function toProblemDetails(error: unknown, requestId?: string): ProblemDetails {
  const appError = isAppError(error) ? error : new AppError('internal', 'internal error');
  const status = appError.httpStatus;
  const serverSide = status >= 500;
  return {
    type: `https://cardgate.dev/problems/${appError.reason}`,
    title: serverSide && appError.code === 'internal' ? 'internal error' : appError.publicMessage,
    status,
    code: appError.code,
    reason: appError.reason,
    ...(Object.keys(appError.details).length > 0 && !serverSide ? { details: appError.details } : {}),
    ...(requestId === undefined ? {} : { requestId }),
  };
}
