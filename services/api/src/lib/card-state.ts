// A card's state as every user route names it: the card store keeps the provider's words (OPEN, PAUSED, CLOSED) beside
// Cardgate's own (issuing, failed); the user API says open, frozen and closed, in the card routes and the balances
// alike (they named the same card two ways until the Mini App's journey against the real API read both).
export const cardStates = ['issuing', 'open', 'frozen', 'closed', 'failed'] as const;
export type CardStateName = (typeof cardStates)[number];

const stateNames: Record<string, CardStateName> = {
  issuing: 'issuing',
  OPEN: 'open',
  PAUSED: 'frozen',
  CLOSED: 'closed',
  failed: 'failed',
};

/** The user API's name of a stored card state; a state it does not know is a broken invariant, not a user's problem. */
export function cardStateName(stored: string, cardId: string): CardStateName {
  const name = stateNames[stored];
  if (!name) throw new Error(`card ${cardId} has the unknown state ${stored}`);
  return name;
}
