export * from './operations.ts';
export type { OperatorCall } from './audited.ts';
export type { CardFreezeResult } from './card-freeze.ts';
export {
  heldPageMax,
  type DepositDecision,
  type HeldDeposit,
  type HeldDepositPage,
} from './held-deposits.ts';
export { parseDepositRef, type DepositRef } from './refs.ts';
export type { AccountBalance } from './user-balances.ts';
export type { DepositState, UserCard, UserDeposit, UserDetails } from './user-lookup.ts';
export {
  scannedMax,
  waitingStatuses,
  type FlowActionResult,
  type WaitingFlow,
  type WaitingFlows,
  type WaitingStatus,
} from './waiting-flows.ts';
