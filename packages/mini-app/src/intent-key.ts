// One Idempotency-Key per user intent (issue this card, load this quote). A retry after no answer or a server error
// sends the SAME key, so the API does the thing at most once even if the first request did arrive; after a definite
// answer (done, or refused for a reason the user may fix) the next attempt is a new intent with a new key.
import { useRef } from 'preact/hooks';
import type { ApiProblem } from './api/index.ts';

export function newIntentKey(): string {
  // randomUUID exists only in secure contexts (https, localhost); a developer's phone on http://<LAN address> has
  // getRandomValues alone, so a version 4 UUID is made from it there.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
