// The ledger's rules as pure code: given the locked accounts, the transfers that already exist and the pending
// transfers still open, apply each group of requests (a linked batch: all or nothing) in order, and produce the
// rows to write. No I/O here; the store loads the inputs and writes the outputs in one transaction.
import { LedgerError } from './ledger-error.ts';
import type { Metadata, Totals, Transfer, TransferKind, TransferRequest } from './types.ts';

export interface AccountState {
  readonly id: bigint;
  readonly asset: string;
  readonly debitsMustNotExceedCredits: boolean;
  readonly creditsMustNotExceedDebits: boolean;
  readonly closed: boolean;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

/** A transfer to insert: everything but the sequence number and commit time, which the database assigns. */
export type NewTransfer = Omit<Transfer, 'seq' | 'createdAt'>;

/** An internal request the expiry sweep makes; clients cannot send it. */
export interface ExpirePendingRequest {
  readonly type: 'expire_pending';
  readonly id: string;
  readonly code: string;
  readonly pendingId: string;
  readonly metadata?: Metadata;
}

export type EngineRequest = TransferRequest | ExpirePendingRequest;

export interface EngineInput {
  readonly accounts: ReadonlyMap<bigint, AccountState>;
  /** Committed transfers whose ids the batch uses or refers to (as its own id or as a pending id). */
  readonly existing: ReadonlyMap<string, Transfer>;
  /** For committed pending transfers the batch refers to: how each was resolved, if it was. */
  readonly resolutions: ReadonlyMap<string, TransferKind>;
  readonly now: Date;
}

export type GroupOutcome =
  | { readonly ok: true; readonly results: readonly PlannedResult[] }
  | { readonly ok: false; readonly error: LedgerError };

/**
 * A result; its transfer still lacks seq and createdAt when it was created in this batch (by this group or, for an
 * `exists`, by an earlier group of the same batch). The caller swaps in the stored row by id.
 */
export interface PlannedResult {
  readonly status: 'created' | 'exists';
  readonly transfer: NewTransfer;
}

export interface EngineOutput {
  readonly outcomes: readonly GroupOutcome[];
  readonly inserts: readonly NewTransfer[];
  /** Accounts whose totals changed, with their final totals. */
  readonly changedAccounts: readonly AccountState[];
  readonly pendingOpened: readonly NewTransfer[];
  readonly pendingResolved: readonly string[];
}

function totalsOf(account: AccountState): Totals {
  return {
    debitsPosted: account.debitsPosted,
    creditsPosted: account.creditsPosted,
    debitsPending: account.debitsPending,
    creditsPending: account.creditsPending,
  };
}

function canonicalMetadata(metadata: Metadata | undefined): string {
  const entries = Object.entries(metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

/** The fields that make two requests "the same" for idempotency. */
function sameContent(existing: Transfer | NewTransfer, planned: NewTransfer): boolean {
  return (
    existing.kind === planned.kind &&
    existing.code === planned.code &&
    existing.asset === planned.asset &&
    existing.debitAccountId === planned.debitAccountId &&
    existing.creditAccountId === planned.creditAccountId &&
    existing.amountMinor === planned.amountMinor &&
    existing.pendingId === planned.pendingId &&
    (existing.timeoutAt?.getTime() ?? null) === (planned.timeoutAt?.getTime() ?? null) &&
    canonicalMetadata(existing.metadata) === canonicalMetadata(planned.metadata)
  );
}

function checkFlags(account: AccountState, index: number): void {
  if (
    account.debitsMustNotExceedCredits &&
    account.debitsPosted + account.debitsPending > account.creditsPosted
  )
    throw new LedgerError('exceeds_credits', `account ${account.id} would spend more than it holds`, {
      index,
    });
  if (
    account.creditsMustNotExceedDebits &&
    account.creditsPosted + account.creditsPending > account.debitsPosted
  )
    throw new LedgerError(
      'exceeds_debits',
      `account ${account.id} would receive more than its debits allow`,
      { index },
    );
}

export function applyGroups(
  input: EngineInput,
  groups: readonly { batchId: string; requests: readonly EngineRequest[] }[],
) {
  const accounts = input.accounts;
  const createdInBatch = new Map<string, NewTransfer>();
  const resolvedInBatch = new Map<string, TransferKind>();
  const inserts: NewTransfer[] = [];
  const pendingOpened: NewTransfer[] = [];
  const pendingResolved: string[] = [];
  const changed = new Set<AccountState>();
  const outcomes: GroupOutcome[] = [];

  for (const group of groups) {
    // Undo information for this group: account totals before it, and what it added to the batch.
    const saved = new Map<AccountState, Totals>();
    const groupInserts: NewTransfer[] = [];
    const groupOpened: NewTransfer[] = [];
    const groupResolved: string[] = [];
    const touch = (account: AccountState): AccountState => {
      if (!saved.has(account)) saved.set(account, totalsOf(account));
      return account;
    };
    try {
      const results = group.requests.map((request, index): PlannedResult => {
        const account = (id: bigint, side: string): AccountState => {
          const found = accounts.get(id);
          if (!found)
            throw new LedgerError('account_not_found', `${side} account ${id} does not exist`, { index });
          return found;
        };
        const findPending = (pendingId: string, checkResolution = true): NewTransfer | Transfer => {
          const pending = createdInBatch.get(pendingId) ?? input.existing.get(pendingId);
          if (!pending || pending.kind !== 'pending')
            throw new LedgerError('pending_not_found', `pending transfer ${pendingId} does not exist`, {
              index,
            });
          if (!checkResolution) return pending;
          const resolution = resolvedInBatch.get(pendingId) ?? input.resolutions.get(pendingId);
          if (resolution === 'post_pending')
            throw new LedgerError(
              'pending_already_posted',
              `pending transfer ${pendingId} was already posted`,
              { index },
            );
          if (resolution === 'void_pending' || resolution === 'expire_pending')
            throw new LedgerError(
              'pending_already_voided',
              `pending transfer ${pendingId} was already voided or expired`,
              {
                index,
              },
            );
          return pending;
        };

        let planned: NewTransfer;
        let debit: AccountState;
        let credit: AccountState;
        if (request.type === 'posted' || request.type === 'pending') {
          debit = account(request.debitAccountId, 'debit');
          credit = account(request.creditAccountId, 'credit');
          if (debit.asset !== request.amount.asset.code || credit.asset !== request.amount.asset.code)
            throw new LedgerError(
              'asset_mismatch',
              `amount in ${request.amount.asset.code} between accounts in ${debit.asset} and ${credit.asset}`,
              { index },
            );
          planned = {
            id: request.id,
            batchId: group.batchId,
            kind: request.type,
            code: request.code,
            asset: debit.asset,
            debitAccountId: debit.id,
            creditAccountId: credit.id,
            amountMinor: request.amount.minor,
            pendingId: null,
            timeoutAt: request.type === 'pending' ? (request.timeoutAt ?? null) : null,
            metadata: request.metadata ?? {},
            debitAfter: totalsOf(debit),
            creditAfter: totalsOf(credit),
          };
        } else {
          // A repeat of a committed resolution is judged by idempotency below, not refused as already resolved.
          const repeat = input.existing.has(request.id) || createdInBatch.has(request.id);
          const pending = findPending(request.pendingId, !repeat);
          debit = account(pending.debitAccountId, 'debit');
          credit = account(pending.creditAccountId, 'credit');
          let amountMinor = pending.amountMinor;
          if (request.type === 'post_pending') {
            if (!repeat && pending.timeoutAt !== null && pending.timeoutAt.getTime() <= input.now.getTime())
              throw new LedgerError('pending_expired', `pending transfer ${request.pendingId} expired`, {
                index,
              });
            if (request.amount !== undefined) {
              if (request.amount.asset.code !== pending.asset)
                throw new LedgerError(
                  'asset_mismatch',
                  `post in ${request.amount.asset.code} of a ${pending.asset} hold`,
                  {
                    index,
                  },
                );
              if (request.amount.minor > pending.amountMinor)
                throw new LedgerError(
                  'post_exceeds_pending',
                  `posting ${request.amount.minor} exceeds the pending ${pending.amountMinor}`,
                  { index },
                );
              amountMinor = request.amount.minor;
            }
          }
          planned = {
            id: request.id,
            batchId: group.batchId,
            kind: request.type,
            code: request.code,
            asset: pending.asset,
            debitAccountId: debit.id,
            creditAccountId: credit.id,
            amountMinor,
            pendingId: request.pendingId,
            timeoutAt: null,
            metadata: request.metadata ?? {},
            debitAfter: totalsOf(debit),
            creditAfter: totalsOf(credit),
          };
        }

        // Idempotency: a committed transfer, or one created earlier in this batch, with the same id.
        const previous = input.existing.get(request.id) ?? createdInBatch.get(request.id);
        if (previous) {
          if (!sameContent(previous, planned))
            throw new LedgerError(
              'exists_with_different_fields',
              `transfer ${request.id} exists with different fields`,
              {
                index,
              },
            );
          if (groupInserts.some((inserted) => inserted === previous))
            throw new LedgerError('duplicate_in_batch', `transfer id ${request.id} appears twice`, { index });
          return { status: 'exists', transfer: previous };
        }
        if (debit.closed || credit.closed)
          throw new LedgerError(
            'account_closed',
            `account ${debit.closed ? debit.id : credit.id} is closed`,
            { index },
          );

        touch(debit);
        touch(credit);
        const amount = planned.amountMinor;
        switch (planned.kind) {
          case 'posted':
            debit.debitsPosted += amount;
            credit.creditsPosted += amount;
            break;
          case 'pending':
            debit.debitsPending += amount;
            credit.creditsPending += amount;
            break;
          case 'post_pending': {
            const pendingAmount = findPending(planned.pendingId!, false).amountMinor;
            debit.debitsPending -= pendingAmount;
            credit.creditsPending -= pendingAmount;
            debit.debitsPosted += amount;
            credit.creditsPosted += amount;
            break;
          }
          case 'void_pending':
          case 'expire_pending':
            debit.debitsPending -= amount;
            credit.creditsPending -= amount;
            break;
        }
        checkFlags(debit, index);
        checkFlags(credit, index);
        const created: NewTransfer = {
          ...planned,
          debitAfter: totalsOf(debit),
          creditAfter: totalsOf(credit),
        };
        groupInserts.push(created);
        createdInBatch.set(created.id, created);
        if (created.kind === 'pending') groupOpened.push(created);
        if (created.pendingId !== null) {
          resolvedInBatch.set(created.pendingId, created.kind);
          groupResolved.push(created.pendingId);
        }
        return { status: 'created', transfer: created };
      });
      inserts.push(...groupInserts);
      pendingOpened.push(...groupOpened);
      pendingResolved.push(...groupResolved);
      for (const account of saved.keys()) changed.add(account);
      outcomes.push({ ok: true, results });
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      // Undo the group: restore totals and forget what it created or resolved.
      for (const [account, totals] of saved) {
        account.debitsPosted = totals.debitsPosted;
        account.creditsPosted = totals.creditsPosted;
        account.debitsPending = totals.debitsPending;
        account.creditsPending = totals.creditsPending;
      }
      for (const created of groupInserts) {
        createdInBatch.delete(created.id);
        if (created.pendingId !== null) resolvedInBatch.delete(created.pendingId);
      }
      outcomes.push({ ok: false, error });
    }
  }
  // An account's totals may be back where they started after an undo; writing them again is harmless.
  return {
    outcomes,
    inserts,
    changedAccounts: [...changed],
    pendingOpened,
    pendingResolved,
  } satisfies EngineOutput;
}
