// The deposit flow's contract between the watcher (which starts and signals it) and the worker (which runs it).
// Deterministic, dependency-free code only: workflow files import it.

export const depositWorkflowType = 'depositWorkflow';
export const depositEventSignalName = 'depositEvent';

/** One workflow per deposit, so a repeated hand-over can never start a second flow for it. */
export function depositWorkflowId(txId: string, logIndex: number): string {
  return `deposit-${txId}-${logIndex}`;
}

export interface DepositWorkflowInput {
  readonly txId: string;
  readonly logIndex: number;
}

/** A change of a deposit's state on chain, as the watcher committed it. */
export interface DepositEvent {
  readonly event: 'seen' | 'orphaned' | 'final';
  /** Increases with every change of this deposit; repeats and stale events carry a sequence already seen. */
  readonly sequence: number;
  readonly txId: string;
  readonly logIndex: number;
  readonly chain: string;
  readonly tokenContract: string;
  readonly asset: string;
  readonly from: string;
  readonly to: string;
  /** Decimal string of minor units. */
  readonly amountMinor: string;
  readonly blockNumber: string;
  readonly blockHash: string;
  readonly blockTimestampMs: string;
}
