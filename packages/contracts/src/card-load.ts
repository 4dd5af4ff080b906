// The card load flow's contract: its input and result, its state query, and the operator's resolution of a load
// whose outcome at the provider stayed unknown. Amounts are integer minor units as decimal strings (money-codec.ts).
import { USDT, type Money } from '@cardgate/money';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { z } from 'zod';
import { minorTextOf, minorUnits } from './money-codec.ts';
import type { CompensationState } from './operator.ts';

export const cardLoadWorkflowType = 'cardLoadWorkflow';

export function cardLoadWorkflowId(loadId: string): string {
  return `card-load-${loadId}`;
}

export const cardLoadInputSchema = z.object({
  loadId: z.string().min(1),
  userId: z.string().min(1),
  cardId: z.string().min(1),
  /** USDT minor units (micro-USDT). */
  amountUsdtMinor: minorUnits(USDT),
});

/** The wire form: what a caller passes and what histories record. */
export type CardLoadWorkflowInput = z.input<typeof cardLoadInputSchema>;
export type CardLoadInput = z.output<typeof cardLoadInputSchema>;

/** The input of a stored load's workflow: one shape, whoever starts it (the API after its answer, the sweep). */
export function cardLoadWorkflowInputOf(load: {
  readonly loadId: string;
  readonly userId: string;
  readonly cardId: string;
  readonly amount: Money;
}): CardLoadWorkflowInput {
  return {
    loadId: load.loadId,
    userId: load.userId,
    cardId: load.cardId,
    amountUsdtMinor: minorTextOf(load.amount.minor, load.amount.asset),
  };
}

export type CardLoadResult =
  | { readonly status: 'loaded'; readonly usdMinor: string; readonly providerLoadToken: string }
  | { readonly status: 'rejected' | 'failed'; readonly reason: string };

export type OperatorLoadResolution =
  { readonly outcome: 'loaded'; readonly providerLoadToken: string } | { readonly outcome: 'not_loaded' };

export const cardLoadStateQueryName = 'cardLoadState';
export const cardLoadStateQuery = defineQuery<CompensationState>(cardLoadStateQueryName);
export const resolveCardLoadSignalName = 'resolveCardLoad';
export const resolveCardLoadSignal = defineSignal<[OperatorLoadResolution]>(resolveCardLoadSignalName);

/** The workflow's signature, for callers that start it by type name: `client.workflow.start<CardLoadWorkflow>`. */
export type CardLoadWorkflow = (input: CardLoadWorkflowInput) => Promise<CardLoadResult>;

/**
 * The sweep of card loads left unfinished: a Temporal Schedule starts it every few minutes; it starts the workflow of
 * every load `holding` or `loading` for longer than `unfinishedForMs` whose workflow is not running, by the load's own
 * workflow id (see services/worker/src/activities/card-load-sweep.ts).
 */
export const cardLoadSweepWorkflowType = 'cardLoadSweepWorkflow';

/** One schedule per namespace and task queue; created idempotently at worker start-up. */
export function cardLoadSweepScheduleId(taskQueue: string): string {
  return `card-load-sweep-${taskQueue}`;
}

export interface CardLoadSweepInput {
  /** How long a load must have been unfinished to be resumed (its request or workflow has had time to go on). */
  readonly unfinishedForMs: number;
}

export interface CardLoadSweepResult {
  /** Unfinished loads older than the bound. */
  readonly found: number;
  /** Of them, the ones whose workflow this sweep started (none was running). */
  readonly started: number;
  /** Of them, the ones whose workflow is running (going on, or waiting for an operator). */
  readonly running: number;
  /** Of them, the ones whose workflow completed without finishing the load (logged as errors: an operator's case). */
  readonly completedUnfinished: number;
}

export type CardLoadSweepWorkflow = (input: CardLoadSweepInput) => Promise<CardLoadSweepResult>;
