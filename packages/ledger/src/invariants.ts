// The ledger's assertions on every batch (TigerStyle: assert what must be true, and crash when it is not). Before the
// write: per asset, the plan's debit and credit deltas of posted and of pending totals are equal, and the posted
// deltas are what the new transfers move. After the write: what was written is what was planned, in figures (rows
// and sums per asset, pending transfers opened and resolved) that the database reads back in the statement that writes them.
//
// A broken assertion is a bug in the ledger or in its schema, never a business outcome: it throws
// LedgerInvariantError, deliberately not an AppError (Cardgate's error model for expected failures), so no caller can
// mistake it for a refusal; it names every transfer of the batch, and the ledger stops writing after one.
import { z } from 'zod';
import type { EngineOutput } from './engine.ts';
import type { Totals } from './types.ts';

export class LedgerInvariantError extends Error {
  /** Every transfer id of the batch in which the invariant broke (the requests of all its groups). */
  readonly transferIds: readonly string[];

  constructor(message: string, transferIds: readonly string[], options: { cause?: unknown } = {}) {
    super(
      `ledger invariant broken: ${message} (batch of ${transferIds.length} transfers: ${transferIds.join(', ')})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'LedgerInvariantError';
    this.transferIds = transferIds;
  }
}

export interface TransferFigures {
  readonly count: number;
  readonly amountMinor: bigint;
}

export interface AccountFigures extends Totals {
  readonly count: number;
}

/** What a batch writes, summed per asset: journal rows and their amounts, account rows and their new totals. */
export interface BatchFigures {
  readonly transfers: ReadonlyMap<string, TransferFigures>;
  readonly accounts: ReadonlyMap<string, AccountFigures>;
  readonly pendingOpened: number;
  readonly pendingResolved: number;
}

const zeroTotals: Totals = { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n };
const totalsFields = ['debitsPosted', 'creditsPosted', 'debitsPending', 'creditsPending'] as const;

function add(a: Totals, b: Totals, sign = 1n): Totals {
  return {
    debitsPosted: a.debitsPosted + sign * b.debitsPosted,
    creditsPosted: a.creditsPosted + sign * b.creditsPosted,
    debitsPending: a.debitsPending + sign * b.debitsPending,
    creditsPending: a.creditsPending + sign * b.creditsPending,
  };
}

/** Per asset, the sum over the changed accounts of (after − before). */
function deltasByAsset(plan: EngineOutput): Map<string, Totals> {
  const deltas = new Map<string, Totals>();
  for (const change of plan.changedAccounts) {
    const delta = add(change.after, change.before, -1n);
    deltas.set(change.asset, add(deltas.get(change.asset) ?? zeroTotals, delta));
  }
  return deltas;
}

/** Per asset, what the new transfers move into posted totals (each moves its amount on both sides). */
function postedMovedByAsset(plan: EngineOutput): Map<string, bigint> {
  const moved = new Map<string, bigint>();
  for (const insert of plan.inserts)
    if (insert.kind === 'posted' || insert.kind === 'post_pending')
      moved.set(insert.asset, (moved.get(insert.asset) ?? 0n) + insert.amountMinor);
  return moved;
}

/** Before the write: the plan keeps the books balanced per asset. */
export function assertPlanBalanced(plan: EngineOutput, transferIds: readonly string[]): void {
  const deltas = deltasByAsset(plan);
  const moved = postedMovedByAsset(plan);
  for (const [asset, delta] of deltas) {
    if (delta.debitsPosted !== delta.creditsPosted)
      throw new LedgerInvariantError(
        `${asset}: the plan moves posted debits by ${delta.debitsPosted} but posted credits by ${delta.creditsPosted}`,
        transferIds,
      );
    if (delta.debitsPending !== delta.creditsPending)
      throw new LedgerInvariantError(
        `${asset}: the plan moves pending debits by ${delta.debitsPending} but pending credits by ${delta.creditsPending}`,
        transferIds,
      );
  }
  for (const asset of new Set([...deltas.keys(), ...moved.keys()])) {
    const accountsMoved = deltas.get(asset)?.debitsPosted ?? 0n;
    if (accountsMoved !== (moved.get(asset) ?? 0n))
      throw new LedgerInvariantError(
        `${asset}: the accounts' posted totals move by ${accountsMoved} but the new transfers post ${moved.get(asset) ?? 0n}`,
        transferIds,
      );
  }
}

/** The figures the plan's write must produce. */
export function plannedFigures(plan: EngineOutput): BatchFigures {
  const transfers = new Map<string, TransferFigures>();
  for (const insert of plan.inserts) {
    const sum = transfers.get(insert.asset) ?? { count: 0, amountMinor: 0n };
    transfers.set(insert.asset, { count: sum.count + 1, amountMinor: sum.amountMinor + insert.amountMinor });
  }
  const accounts = new Map<string, AccountFigures>();
  for (const change of plan.changedAccounts) {
    const sum = accounts.get(change.asset) ?? { count: 0, ...zeroTotals };
    accounts.set(change.asset, { count: sum.count + 1, ...add(sum, change.after) });
  }
  return {
    transfers,
    accounts,
    pendingOpened: plan.pendingOpened.length,
    pendingResolved: plan.pendingResolved.length,
  };
}

/** Each figure as one line, sorted: two figure sets are equal when their lines are, and the lines name a difference. */
function figureLines(figures: BatchFigures): string[] {
  const lines = [`pending opened ${figures.pendingOpened}`, `pending resolved ${figures.pendingResolved}`];
  for (const [asset, sum] of figures.transfers)
    lines.push(`${asset} transfers ${sum.count}`, `${asset} transfer amounts ${sum.amountMinor}`);
  for (const [asset, sum] of figures.accounts) {
    lines.push(`${asset} accounts ${sum.count}`);
    for (const field of totalsFields) lines.push(`${asset} accounts' ${field} ${sum[field]}`);
  }
  return lines.sort();
}

/** After the write: what the database read back is what was planned. */
export function assertWritten(
  planned: BatchFigures,
  written: BatchFigures,
  transferIds: readonly string[],
): void {
  const plannedLines = figureLines(planned);
  const writtenLines = new Set(figureLines(written));
  const missing = plannedLines.filter((line) => !writtenLines.delete(line));
  if (missing.length > 0 || writtenLines.size > 0)
    throw new LedgerInvariantError(
      `the write differs from the plan: planned ${missing.join('; ')}; written ${[...writtenLines].join('; ')}`,
      transferIds,
    );
}

// The figures on the wire: the database builds this document from what it wrote and compares it with the one the
// plan sends; sums travel as decimal strings (a JSON number would lose precision beyond 2^53).
const decimal = z
  .string()
  .regex(/^-?\d+$/)
  .transform((value) => BigInt(value));
const count = z.number().int().nonnegative();
export const figuresDocument = z.object({
  transfers: z.record(z.string(), z.object({ count, amount: decimal })),
  accounts: z.record(
    z.string(),
    z.object({
      count,
      debits_posted: decimal,
      credits_posted: decimal,
      debits_pending: decimal,
      credits_pending: decimal,
    }),
  ),
  pending_opened: count,
  pending_resolved: count,
});

export function figuresToDocument(figures: BatchFigures): z.input<typeof figuresDocument> {
  const transfers: Record<string, { count: number; amount: string }> = {};
  for (const [asset, sum] of figures.transfers)
    transfers[asset] = { count: sum.count, amount: sum.amountMinor.toString() };
  const accounts: z.input<typeof figuresDocument>['accounts'] = {};
  for (const [asset, sum] of figures.accounts)
    accounts[asset] = {
      count: sum.count,
      debits_posted: sum.debitsPosted.toString(),
      credits_posted: sum.creditsPosted.toString(),
      debits_pending: sum.debitsPending.toString(),
      credits_pending: sum.creditsPending.toString(),
    };
  return {
    transfers,
    accounts,
    pending_opened: figures.pendingOpened,
    pending_resolved: figures.pendingResolved,
  };
}

export function figuresFromDocument(document: z.output<typeof figuresDocument>): BatchFigures {
  return {
    transfers: new Map(
      Object.entries(document.transfers).map(([asset, sum]) => [
        asset,
        { count: sum.count, amountMinor: sum.amount },
      ]),
    ),
    accounts: new Map(
      Object.entries(document.accounts).map(([asset, sum]) => [
        asset,
        {
          count: sum.count,
          debitsPosted: sum.debits_posted,
          creditsPosted: sum.credits_posted,
          debitsPending: sum.debits_pending,
          creditsPending: sum.credits_pending,
        },
      ]),
    ),
    pendingOpened: document.pending_opened,
    pendingResolved: document.pending_resolved,
  };
}
