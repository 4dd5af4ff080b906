// The `type` of every ApplicationFailure an activity raises, defined once: activities set them, workflows and retry
// policies branch on them, and operators' tools read them from histories. Recorded in histories: never rename a value.

export const failureTypes = {
  /** The card provider failed in a way that may pass (timeout, 5xx, 429): retried with the same idempotency key. */
  providerRetryable: 'CardProviderRetryable',
  /** The card provider refused for good (card closed, bad request). */
  providerRefused: 'CardProviderRefused',
  /** No answer from the card provider: the call may or may not have taken effect. */
  providerAmbiguous: 'CardProviderAmbiguous',
  /** The ledger refused (insufficient funds, closed account, conflicting id): a definite business outcome. */
  ledgerRefused: 'LedgerRefused',
  /** Input or state that cannot become valid by retrying. */
  invalid: 'InvalidRequest',
} as const;

export type FailureType = (typeof failureTypes)[keyof typeof failureTypes];

/** Failure types that are definite business outcomes: retrying cannot change them. */
export const definiteFailureTypes: readonly FailureType[] = [
  failureTypes.providerRefused,
  failureTypes.ledgerRefused,
  failureTypes.invalid,
];

export function isDefiniteFailureType(type: string | undefined): boolean {
  return type !== undefined && (definiteFailureTypes as readonly string[]).includes(type);
}
