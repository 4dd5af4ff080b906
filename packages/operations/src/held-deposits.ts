// Deposits held for review (below the review minimum) and the operator's decision on them. A held deposit is a
// pending credit on the user's wallet (ledger code `deposit_review`, id `deposit:<tx>:<log>`, written by the deposit
// workflow's credit activity), so the list reads the ledger's open pending transfers: no workflow needs to answer for
// the list to be right. The decision is the deposit workflow's `depositReview` signal; the workflow releases (minus
// the fee) or rejects, with ids derived from the deposit, so a repeated decision can never move money twice.
import { depositReviewSignalName, depositWorkflowId, type DepositReviewDecision } from '@cardgate/contracts';
import { AppError } from '@cardgate/errors';
import type { LedgerReads } from '@cardgate/ledger';
import { assetByCode, moneyFromMinor, type Money } from '@cardgate/money';
import { settledState, signalFlow, type FlowAccess } from './flow-state.ts';
import { depositRefText, type DepositRef } from './refs.ts';

/**
 * The ledger codes and transfer id of a deposit, as the worker's deposit activities write them (stored: they never
 * change). Kept here for reading; the worker's `depositTransferId` writes the same form.
 */
export const depositLedgerCodes = { credited: 'deposit', held: 'deposit_review' } as const;
export const depositLedgerId = (ref: DepositRef): string => `deposit:${ref.txId}:${ref.logIndex}`;

/** The deposit workflow's state while it waits for an operator (its state query's answer). */
export const heldState = 'held_for_review';
/** Held deposits on one page at most. */
export const heldPageMax = 200;

export interface HeldDeposit {
  readonly txId: string;
  readonly logIndex: number;
  readonly userId: string;
  readonly amount: Money;
  readonly heldAt: Date;
  readonly workflowId: string;
}

export interface HeldDepositPage {
  readonly items: readonly HeldDeposit[];
  /** Pass back as `after` for the next page; null on the last. */
  readonly nextCursor: string | null;
}

export interface DepositDecision {
  readonly deposit: string;
  readonly workflowId: string;
  readonly decision: 'approve' | 'reject';
  /** The deposit workflow's state after the decision (`credited`, `rejected`, ...; still `held_for_review` when it
   * had not moved within the wait). */
  readonly state: string;
}

export function createHeldDeposits(dependencies: { reads: LedgerReads; flows: FlowAccess }) {
  const { reads, flows } = dependencies;

  return {
    async list(page: { limit: number; after?: string | undefined }): Promise<HeldDepositPage> {
      const limit = Math.max(1, Math.min(Math.trunc(page.limit), heldPageMax));
      if (page.after !== undefined && !/^[1-9][0-9]{0,18}$/.test(page.after))
        throw new AppError('rule_violation', 'the cursor is not one this list gave', {
          reason: 'invalid_cursor',
        });
      const transfers = await reads.openPendingByCode(depositLedgerCodes.held, {
        limit,
        ...(page.after === undefined ? {} : { afterSeq: BigInt(page.after) }),
      });
      const items = transfers.flatMap((transfer) => {
        const { txId, logIndex, userId } = transfer.metadata;
        if (typeof txId !== 'string' || typeof logIndex !== 'number' || typeof userId !== 'string') return [];
        return [
          {
            txId,
            logIndex,
            userId,
            amount: moneyFromMinor(transfer.amountMinor, assetByCode(transfer.asset)),
            heldAt: transfer.createdAt,
            workflowId: depositWorkflowId(txId, logIndex),
          },
        ];
      });
      const last = transfers[transfers.length - 1];
      return { items, nextCursor: transfers.length === limit && last ? last.seq.toString() : null };
    },

    /** Approves (credit minus the fee) or rejects a held deposit through its workflow. */
    async decide(ref: DepositRef, approve: boolean): Promise<DepositDecision> {
      const id = depositLedgerId(ref);
      const held = await reads.transferById(id);
      if (!held)
        throw new AppError('not_found', `no deposit ${depositRefText(ref)} in the ledger`, {
          reason: 'deposit_not_found',
        });
      if (held.kind !== 'pending' || held.code !== depositLedgerCodes.held)
        throw new AppError('conflict', `deposit ${depositRefText(ref)} was credited without review`, {
          reason: 'deposit_not_held',
        });
      const resolution = await reads.resolutionOf(id);
      if (resolution)
        throw new AppError('conflict', `deposit ${depositRefText(ref)} was already decided`, {
          reason: 'deposit_already_decided',
          details: { resolvedBy: resolution.kind },
        });
      const workflowId = depositWorkflowId(ref.txId, ref.logIndex);
      // The ledger says the deposit waits for a review (its pending credit is open, unresolved); the workflow keeps
      // the first decision it receives whatever its step, so no state query is needed before the signal. Its outcome
      // is read from the ledger too: a workflow's state query replays its history when the run is not cached, and a
      // replay under load has failed (see the issue note), which must not stop an operator's decision.
      const decision: DepositReviewDecision = { approve };
      await signalFlow(flows, workflowId, depositReviewSignalName, [decision]);
      const readState = async (): Promise<string> => {
        const resolved = await reads.resolutionOf(id);
        if (!resolved) return heldState;
        return resolved.kind === 'post_pending' ? 'credited' : 'rejected';
      };
      const state = await settledState(flows, readState, (current) => current !== heldState);
      return { deposit: depositRefText(ref), workflowId, decision: approve ? 'approve' : 'reject', state };
    },
  };
}
