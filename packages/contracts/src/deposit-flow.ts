// The deposit flow's results, its operator signal's payload and its state query: what a caller reads back from a
// deposit workflow. The deposit's input and chain event live in deposit.ts (the watcher's side of the contract).
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CardLoadResult } from './card-load.ts';

export const depositReviewSignalName = 'depositReview';

/** An operator's decision on a deposit held for review. */
export interface DepositReviewDecision {
  readonly approve: boolean;
}
export const depositReviewSignal = defineSignal<[DepositReviewDecision]>(depositReviewSignalName);

export const depositStateQueryName = 'depositState';
export const depositStateQuery = defineQuery<string>(depositStateQueryName);

/** What a deposit credited: USDT minor units as decimal strings. */
export interface DepositCredit {
  readonly userId: string;
  readonly status: 'credited' | 'held_for_review';
  readonly grossMinor: string;
  readonly feeMinor: string;
  readonly netMinor: string;
}

export interface DepositWorkflowResult {
  readonly txId: string;
  readonly logIndex: number;
  readonly amountMinor: string;
  readonly eventsIgnored: number;
  readonly credit?: DepositCredit;
  readonly cardLoad?: CardLoadResult;
}

/** The load id of the card load a deposit continues into. */
export const depositLoadId = (txId: string, logIndex: number): string => `dep-${txId}-${logIndex}`;
