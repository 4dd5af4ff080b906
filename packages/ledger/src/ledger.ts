// The ledger's public API. Writes go through the group-commit batcher into one database commit per batch (one round
// trip when the ledger knows the state it depends on: commit.ts); every write is idempotent by its client-chosen id,
// retried internally (bounded) on transient database failures, checked against the account flags both here and by
// database constraints, and asserted on every batch (invariants.ts). A broken assertion stops the ledger's writes.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type DatabasePool } from '@cardgate/db';
import { z } from 'zod';
import { createBatcher, QueueFullError } from './batcher.ts';
import { createBatchCommitter, type GroupResult } from './commit.ts';
import type { EngineGroup, EngineRequest } from './engine.ts';
import { LedgerInvariantError } from './invariants.ts';
import { createKnownState } from './known-state.ts';
import { LedgerError } from './ledger-error.ts';
import { accountColumns, accountFromRow, accountRow, lockAccounts } from './store.ts';
import { isTransientDatabaseError } from './transient.ts';
import { checkAccountCode, validateBatch } from './validate.ts';
import type { Account, AccountSpec, TransferRequest, TransferResult } from './types.ts';
import { createLedgerReads } from './reads.ts';
import { verifyLedger } from './verify.ts';

export interface LedgerOptions {
  readonly pool: DatabasePool;
  readonly now?: () => Date;
  /**
   * Batches in flight at once (each holds one pooled connection). One lane is the default: requests that arrive while a
   * batch is in flight form the next batch, and batches sharing a hot account never contend with each other.
   */
  readonly lanesMax?: number;
  /**
   * Transfers in one database commit at most: the group-commit batcher joins linked batches (each at most
   * `linkedTransfersMax`, validate.ts) into one commit up to this many transfers.
   */
  readonly commitTransfersMax?: number;
  /** @deprecated The old name of `commitTransfersMax`; it also named the limit per linked batch. */
  readonly batchTransfersMax?: number;
  /** Accounts and open pending transfers this ledger remembers between batches (commit.ts plans from them), at most. */
  readonly knownAccountsMax?: number;
  readonly knownPendingMax?: number;
  /** Requests waiting at most; beyond it a write is refused as `unavailable`. */
  readonly queueMax?: number;
  /** Attempts per batch on transient database errors. */
  readonly attemptsMax?: number;
  readonly retryBackoffMsMax?: number;
  /** Told of every batch once it is committed or has failed (metrics); must not throw and must return at once. */
  readonly onBatch?: (batch: LedgerBatchObservation) => void;
}

/** One group commit as an observer sees it: how big, how long (retries included), and how it ended. */
export interface LedgerBatchObservation {
  /** Transfers in the batch, over all its linked requests. */
  readonly transfers: number;
  /** Linked requests (callers' batches) joined into it. */
  readonly requests: number;
  readonly durationMs: number;
  /** `failed`: the whole batch was refused (a database failure beyond the retries, a broken invariant). */
  readonly outcome: 'committed' | 'failed';
}

const noRows = z.object({});

/**
 * The id of a hold's expiry: deterministic, so two sweeps racing on one hold produce one expiry. A pending id long
 * enough to overflow the id limit is hashed rather than cut, so two long ids can never share an expiry id.
 */
export function expiryTransferId(pendingId: string): string {
  const id = `expire:${pendingId}`;
  return id.length <= 128 ? id : `expire:${createHash('sha256').update(pendingId).digest('hex')}`;
}

export function createLedger(options: LedgerOptions) {
  const { pool } = options;
  const now = options.now ?? (() => new Date());
  const attemptsMax = options.attemptsMax ?? 8;
  const retryBackoffMsMax = options.retryBackoffMsMax ?? 200;

  const known = createKnownState({
    // A cold account or pending transfer costs one extra round trip (a read) when it is next used; nothing worse.
    accountsMax: options.knownAccountsMax ?? 10_000,
    pendingMax: options.knownPendingMax ?? 10_000,
  });
  const committer = createBatchCommitter({ pool, now, known, optimisticAttemptsMax: 3 });
  /** Set by the first broken invariant: the ledger then refuses every write, as a crashed process would. */
  let halted: LedgerInvariantError | undefined;

  async function runOnce(groups: readonly EngineGroup[]): Promise<GroupResult[]> {
    if (halted) throw halted;
    try {
      return await committer.commit(groups);
    } catch (error) {
      if (error instanceof LedgerInvariantError) {
        halted = error;
        known.clear();
      }
      throw error;
    }
  }

  /** Runs `operation`, retrying transient database failures with jittered, bounded backoff. */
  async function withTransientRetries<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error;
        if (attempt >= attemptsMax)
          throw new LedgerError(
            'retries_exhausted',
            `the ledger database kept failing (${attempt} attempts)`,
            {
              cause: error,
            },
          );
        // Jittered exponential backoff, bounded: contention clears faster when retries do not line up.
        const backoffMs = Math.min(retryBackoffMsMax, 2 ** attempt) * (0.5 + Math.random() / 2);
        await sleep(backoffMs);
      }
    }
  }

  const runWithRetries = (groups: readonly EngineGroup[]) => withTransientRetries(() => runOnce(groups));
  const { onBatch } = options;
  const runObserved = !onBatch
    ? runWithRetries
    : async (groups: readonly EngineGroup[]): Promise<GroupResult[]> => {
        const startedAt = performance.now();
        let outcome: LedgerBatchObservation['outcome'] = 'failed';
        try {
          const results = await runWithRetries(groups);
          outcome = 'committed';
          return results;
        } finally {
          onBatch({
            transfers: groups.reduce((sum, group) => sum + group.requests.length, 0),
            requests: groups.length,
            durationMs: performance.now() - startedAt,
            outcome,
          });
        }
      };

  const batcher = createBatcher<EngineGroup, GroupResult>({
    run: runObserved,
    lanesMax: options.lanesMax ?? 1,
    weightMax: options.commitTransfersMax ?? options.batchTransfersMax ?? 2_000,
    weightOf: (group) => group.requests.length,
    queueMax: options.queueMax ?? 100_000,
  });

  async function submitGroup(requests: readonly EngineRequest[]): Promise<TransferResult[]> {
    if (halted) throw halted;
    let outcome: GroupResult;
    try {
      outcome = await batcher.submit({ batchId: requests[0]!.id, requests });
    } catch (error) {
      if (error instanceof QueueFullError)
        throw new LedgerError('retries_exhausted', error.message, { cause: error });
      throw error;
    }
    if (outcome instanceof LedgerError) throw outcome;
    return outcome;
  }

  const reads = createLedgerReads(pool);

  return {
    ...reads,

    /** Creates accounts, idempotent by code: the same spec again returns the existing account. */
    async createAccounts(specs: readonly AccountSpec[]): Promise<Account[]> {
      for (const spec of specs) checkAccountCode(spec.code);
      return pool.transaction(async (connection) => {
        const accounts: Account[] = [];
        for (const spec of specs) {
          await connection.query(sql.type(noRows)`
            insert into ledger_account (code, asset, kind, owner_ref, debits_must_not_exceed_credits,
              credits_must_not_exceed_debits)
            values (${spec.code}, ${spec.asset}, ${spec.kind}, ${spec.ownerRef ?? null},
              ${spec.debitsMustNotExceedCredits ?? false}, ${spec.creditsMustNotExceedDebits ?? false})
            on conflict (code) do nothing`);
          const row = await connection.one(sql.type(accountRow)`
            select ${accountColumns} from ledger_account where code = ${spec.code}`);
          const account = accountFromRow(row);
          const same =
            account.asset === spec.asset &&
            account.kind === spec.kind &&
            account.ownerRef === (spec.ownerRef ?? null) &&
            account.debitsMustNotExceedCredits === (spec.debitsMustNotExceedCredits ?? false) &&
            account.creditsMustNotExceedDebits === (spec.creditsMustNotExceedDebits ?? false);
          if (!same)
            throw new LedgerError(
              'exists_with_different_fields',
              `account ${spec.code} exists with different fields`,
            );
          accounts.push(account);
        }
        return accounts;
      });
    },

    /** Closes an account with nothing on it; a closed account takes part in no new transfer. */
    async closeAccount(accountId: bigint): Promise<void> {
      await pool.transaction(async (connection) => {
        const locked = await lockAccounts(connection, [accountId]);
        const account = locked.get(accountId);
        if (!account) throw new LedgerError('account_not_found', `account ${accountId} does not exist`);
        if (
          account.debitsPending !== 0n ||
          account.creditsPending !== 0n ||
          account.debitsPosted !== account.creditsPosted
        )
          throw new LedgerError(
            'account_not_empty',
            `account ${accountId} still has a balance or open holds`,
          );
        await connection.query(sql.type(noRows)`
          update ledger_account set closed_at = coalesce(closed_at, now()) where id = ${accountId}`);
      });
      known.forget({ accountIds: [accountId], transferIds: [], pendingIds: [] });
    },

    /** Submits a linked batch: every transfer in it commits, or none does. */
    async submit(requests: readonly TransferRequest[]): Promise<TransferResult[]> {
      validateBatch(requests);
      return submitGroup(requests);
    },

    async transfer(request: TransferRequest): Promise<TransferResult> {
      const [result] = await this.submit([request]);
      return result!;
    },

    /**
     * Voids holds whose timeout has passed, at most `limit` of them, each as its own `expire_pending` transfer with a
     * deterministic id, so two sweeps running at once cannot expire one hold twice. Returns how many it expired.
     */
    async expirePending(limit: number): Promise<number> {
      const rows = await withTransientRetries(() =>
        pool.any(sql.type(z.object({ transfer_id: z.string() }))`
          select transfer_id from ledger_pending_open where timeout_at <= ${now().toISOString()}
          order by timeout_at limit ${Math.max(1, Math.min(limit, 10_000))}`),
      );
      let expired = 0;
      await Promise.all(
        rows.map(async (row) => {
          try {
            const [result] = await submitGroup([
              {
                type: 'expire_pending',
                id: expiryTransferId(row.transfer_id),
                code: 'expiry',
                pendingId: row.transfer_id,
              },
            ]);
            if (result?.status === 'created') expired += 1;
          } catch (error) {
            // Posted or voided in the meantime: nothing left to expire.
            if (!(error instanceof LedgerError && error.reason.startsWith('pending_already'))) throw error;
          }
        }),
      );
      return expired;
    },

    verify: () => verifyLedger(pool),

    /** How this ledger's batches reached the database so far (round trips beyond one per batch, by cause). */
    commitCounts: () => committer.counts(),

    /** Waits for queued writes to finish. */
    drained: () => batcher.drained(),
  };
}

export type Ledger = ReturnType<typeof createLedger>;
