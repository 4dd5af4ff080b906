// One Idempotency-Key per user intent (issue this card, load this quote). A retry after no answer or a server error
// sends the SAME key, so the API does the thing at most once even if the first request did arrive; after a definite
// answer (done, or refused for a reason the user may fix) the next attempt is a new intent with a new key.
import { useRef } from 'preact/hooks';
import type { ApiProblem } from './api/index.ts';

export function newIntentKey(): string {
  return crypto.randomUUID();
}

/** True when the outcome of a write is unknown, so a retry must reuse its key. */
export function isOutcomeUnknown(problem: ApiProblem): boolean {
  return problem.kind === 'network' || problem.kind === 'unavailable' || problem.kind === 'rate_limited';
}

export function useIntentKey(): { readonly current: () => string; readonly renew: () => void } {
  const key = useRef<string>(newIntentKey());
  return {
    current: () => key.current,
    renew: () => {
      key.current = newIntentKey();
    },
  };
}
