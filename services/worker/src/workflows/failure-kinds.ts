// Reads what an activity failure means for the workflow: a definite refusal, or an outcome still unknown.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { isDefiniteFailureType } from '@cardgate/contracts';

export function failureType(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** The activity was refused for good (insufficient funds, card closed, bad request). */
export function isDefiniteRefusal(error: unknown): boolean {
  return isDefiniteFailureType(failureType(error));
}

export function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof Error ? cause.message : String(error);
}
