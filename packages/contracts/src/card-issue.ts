// The card issue flow's contract: its input and result, its state query and its operator signal.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CompensationState } from './operator.ts';

export const cardIssueWorkflowType = 'cardIssueWorkflow';

export function cardIssueWorkflowId(cardId: string): string {
  return `card-issue-${cardId}`;
}

export interface CardIssueWorkflowInput {
  readonly cardId: string;
  readonly userId: string;
  /** Deposits of this user continue into this card. */
  readonly autoLoad: boolean;
}

export type CardIssueResult =
  | {
      readonly status: 'issued';
      readonly cardId: string;
      readonly providerToken: string;
      readonly lastFour: string;
    }
  | { readonly status: 'rejected' | 'failed'; readonly cardId: string; readonly reason: string };

export const cardIssueStateQueryName = 'cardIssueState';
export const cardIssueStateQuery = defineQuery<CompensationState>(cardIssueStateQueryName);
/** After the provider stayed silent for all rounds, an operator lets the workflow try another set of rounds. */
export const retryCardIssueSignalName = 'retryCardIssue';
export const retryCardIssueSignal = defineSignal(retryCardIssueSignalName);

/** The workflow's signature, for callers that start it by type name: `client.workflow.execute<CardIssueWorkflow>`. */
export type CardIssueWorkflow = (input: CardIssueWorkflowInput) => Promise<CardIssueResult>;
