// How a call to the card provider failed, sorted by what the caller may do next:
// - `retryable`: it did not take effect and may succeed later (connection refused, 429, a 5xx on a read);
// - `not_retryable`: a definite refusal (4xx: closed card, bad request); repeating it cannot help;
// - `ambiguous`: it may have taken effect (a timeout, a dropped connection, a 5xx on a write). Only a lookup by the
//   idempotency key, or a repeat with the same key, can tell.
import { AppError, type ErrorCode } from '@cardgate/errors';

export type ProviderFailureKind = 'retryable' | 'not_retryable' | 'ambiguous';

const codeByKind: Record<ProviderFailureKind, ErrorCode> = {
  retryable: 'unavailable',
  not_retryable: 'rule_violation',
  ambiguous: 'ambiguous',
};

export class CardProviderError extends AppError {
  readonly kind: ProviderFailureKind;
  /** HTTP status when the provider answered; null when it did not. */
  readonly status: number | null;
  /** The provider's error code (`card_closed`, `load_not_found`, ...), or a transport cause (`timeout`, `network`). */
  override readonly reason: string;

  constructor(
    kind: ProviderFailureKind,
    reason: string,
    message: string,
    options: { status?: number | null; cause?: unknown; code?: ErrorCode } = {},
  ) {
    super(options.code ?? codeByKind[kind], message, { reason, cause: options.cause });
    this.name = 'CardProviderError';
    this.kind = kind;
    this.reason = reason;
    this.status = options.status ?? null;
  }
}

/** The Temporal-facing name of each kind, so workflows can tell them apart by `ApplicationFailure.type`. */
export const providerFailureTypes: Record<ProviderFailureKind, string> = {
  retryable: 'CardProviderRetryable',
  not_retryable: 'CardProviderRefused',
  ambiguous: 'CardProviderAmbiguous',
};
