// The card state flow's contract: a user's freeze or unfreeze of a card. The workflow pauses or resumes the card at
// the provider (retried: a pause or resume is idempotent at the provider) and then records the state in `card`. One
// workflow per request: its id carries the card and the request's key, so a repeated request starts nothing new.

export const cardStateWorkflowType = 'cardStateWorkflow';

/** The states a user may ask for: PAUSED (freeze) and OPEN (unfreeze). */
export type RequestedCardState = 'OPEN' | 'PAUSED';

/**
 * `card-state-<cardId>-<requestKey>`. The request key is an id the caller derived from its request (the API: from the
 * caller's scope and Idempotency-Key), so any key makes a valid, bounded workflow id. Workflow code imports this
 * file, so it stays free of Node built-ins (no hashing here).
 */
export function cardStateWorkflowId(cardId: string, requestKey: string): string {
  return `card-state-${cardId}-${requestKey}`;
}

export interface CardStateWorkflowInput {
  readonly cardId: string;
  readonly userId: string;
  readonly state: RequestedCardState;
}

export type CardStateResult =
  | { readonly status: 'done'; readonly cardId: string; readonly state: RequestedCardState }
  | { readonly status: 'refused'; readonly cardId: string; readonly reason: string };

/** The workflow's signature, for callers that start it by type name: `client.workflow.start<CardStateWorkflow>`. */
export type CardStateWorkflow = (input: CardStateWorkflowInput) => Promise<CardStateResult>;
