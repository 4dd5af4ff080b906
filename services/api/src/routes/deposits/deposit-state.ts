// What a user is told about one deposit: its state and amounts, from the watcher's record (seen, final, orphaned and
// the block it is in), the watcher's cursor (how many blocks confirm it) and the ledger transfers the deposit flow
// wrote (packages/domain depositTransferIds: a credit posted at once, or pending while held for review and then
// released or rejected, and the fee).
import { depositTransferIds } from '@cardgate/domain';
import type { RecordedDeposit } from '@cardgate/deposit-store';
import type { Transfer } from '@cardgate/ledger';
import { assetByCode, moneyFromMinor, subtract, type Money } from '@cardgate/money';

export const depositStates = [
  'seen',
  'confirming',
  'final',
  'credited',
  'held_for_review',
  'rejected',
  'orphaned',
] as const;
export type DepositState = (typeof depositStates)[number];

export interface DepositView {
  readonly state: DepositState;
  /** While the deposit's block is not final: blocks on the chain that include it (its own counts) and how many. */
  readonly confirmations: { readonly done: number; readonly needed: number } | null;
  /** What arrived on chain. */
  readonly gross: Money;
  /** Charged when credited (a deposit held for review is charged when an operator releases it). */
  readonly fee: Money | null;
  readonly net: Money | null;
  readonly creditedAt: Date | null;
}

function confirmationsOf(deposit: RecordedDeposit, needed: number) {
  const head = deposit.headBlockNumber ?? deposit.blockNumber - 1n;
  const done = head - deposit.blockNumber + 1n;
  // Capped at what is needed: on mainnet the final line is the solidified block, which the count can pass a little
  // before the watcher's next step calls the deposit final.
  return { done: Number(done < 0n ? 0n : done > BigInt(needed) ? BigInt(needed) : done), needed };
}

export function depositViewOf(
  deposit: RecordedDeposit,
  transfers: ReadonlyMap<string, Transfer>,
  confirmationsNeeded: number,
): DepositView {
  const asset = assetByCode(deposit.asset);
  const gross = moneyFromMinor(deposit.amountMinor, asset);
  const ids = depositTransferIds(deposit.txId, deposit.logIndex);
  const credit = transfers.get(ids.credit);
  const nothingCharged = { fee: null, net: null, creditedAt: null, confirmations: null };
  const credited = (at: Date): DepositView => {
    const fee = moneyFromMinor(transfers.get(ids.fee)?.amountMinor ?? 0n, asset);
    return { state: 'credited', confirmations: null, gross, fee, net: subtract(gross, fee), creditedAt: at };
  };
  if (credit?.kind === 'posted') return credited(credit.createdAt);
  if (credit?.kind === 'pending') {
    const release = transfers.get(ids.release);
    if (release) return credited(release.createdAt);
    if (transfers.has(ids.reject)) return { state: 'rejected', gross, ...nothingCharged };
    return { state: 'held_for_review', gross, ...nothingCharged };
  }
  if (deposit.status === 'orphaned') return { state: 'orphaned', gross, ...nothingCharged };
  if (deposit.status === 'final') return { state: 'final', gross, ...nothingCharged };
  const confirmations = confirmationsOf(deposit, confirmationsNeeded);
  // Seen: only its own block so far; confirming: later blocks build on it.
  return {
    state: confirmations.done <= 1 ? 'seen' : 'confirming',
    gross,
    ...nothingCharged,
    confirmations,
  };
}
