// The deposit flow's contract between the watcher (which starts and signals it) and the worker (which runs it).
// Deterministic, dependency-free code only: workflow files import it. The event's schema is in deposit-event.ts,
// reached as `@cardgate/contracts/deposit-event` and not from the package index, so workflow bundles stay free of
// zod (measured: it adds 1.15 MB and about 0.5 s to every bundle, and the replay test bundles once per history);
// the type here is derived from that schema, and a type import leaves no code behind.
import type { z } from 'zod';
import type { depositEventSchema } from './deposit-event.ts';

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

export const depositEventKinds = ['seen', 'orphaned', 'final'] as const;
export type DepositEventKind = (typeof depositEventKinds)[number];

/** A change of a deposit's state on chain, as the watcher committed it; see depositEventSchema. */
export type DepositEvent = Readonly<z.infer<typeof depositEventSchema>>;
