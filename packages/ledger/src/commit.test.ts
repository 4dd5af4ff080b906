// Proves that planning from what a ledger already knows never writes on out-of-date state. Two ledgers (two
// processes, in effect) share accounts: each change one makes is seen by the other's next batch (totals, flags, a
// closed account, a hold resolved, an id already used), at the cost of one extra round trip, counted. A batch whose
// plans keep being out of date runs in a transaction after locking and reading its state first. And the state a
// ledger knows is bounded.
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@cardgate/test-harness';
import { createBatchCommitter, needsOf } from './commit.ts';
import { createKnownState } from './known-state.ts';
import { createLedger, type Ledger } from './ledger.ts';
import { LedgerError, type LedgerErrorReason } from './ledger-error.ts';
import { account, transferId, usdt } from './testing.ts';
import type { PostedTransferRequest, TransferRequest } from './types.ts';

const database = useTestDatabase();

async function reasonOf(promise: Promise<unknown>): Promise<LedgerErrorReason | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof LedgerError) return error.reason;
    throw error;
  }
}

const posted = (debitAccountId: bigint, creditAccountId: bigint, minor: bigint): PostedTransferRequest => ({
  type: 'posted',
  id: transferId(),
  code: 'test',
  debitAccountId,
  creditAccountId,
  amount: usdt(minor),
});

/** Two ledgers on one database, a treasury, and a wallet holding 10 that must not overspend, known to both. */
async function twoLedgers() {
  const first = createLedger({ pool: database.pool });
  const second = createLedger({ pool: database.pool });
  const treasury = await account(first, { kind: 'asset' });
  const wallet = await account(first, { debitsMustNotExceedCredits: true });
  const other = await account(first);
  await first.transfer(posted(treasury.id, wallet.id, 10n));
  await second.transfer(posted(treasury.id, other.id, 1n));
  await second.transfer(posted(other.id, wallet.id, 1n));
  await first.transfer(posted(wallet.id, other.id, 1n));
  return { first, second, treasury, wallet, other };
}

function extraRoundTrips(ledger: Ledger) {
  const { loads, staleAnswers, lockedFallbacks } = ledger.commitCounts();
  return { loads, staleAnswers, lockedFallbacks };
}

describe('several ledgers on one database', () => {
  it('writes on the totals another ledger left, not on the ones it knew: no overspend, no lost transfer', async () => {
    const { first, second, wallet, other } = await twoLedgers();
    // The wallet holds 10 now; each ledger knows it as it left it.
    const before = extraRoundTrips(first);
    await second.transfer(posted(wallet.id, other.id, 6n));
    expect(await reasonOf(first.transfer(posted(wallet.id, other.id, 6n)))).toBe('exceeds_credits');
    expect((await first.transfer(posted(wallet.id, other.id, 4n))).transfer.debitAfter).toMatchObject({
      debitsPosted: 11n,
      creditsPosted: 11n,
    });
    expect(extraRoundTrips(first)).toEqual({ ...before, staleAnswers: before.staleAnswers + 1 });
    const [balance] = await first.balances([wallet.id]);
    expect(balance).toMatchObject({ available: 0n, debitsPosted: 11n });
    expect((await first.verify()).problems).toEqual([]);
  });

  it('answers a repeat of a transfer another ledger committed with that transfer', async () => {
    const { first, second, wallet, other } = await twoLedgers();
    const request = posted(wallet.id, other.id, 2n);
    const original = await second.transfer(request);
    const repeat = await first.transfer(request);
    expect(repeat).toMatchObject({ status: 'exists', transfer: { seq: original.transfer.seq } });
    expect(await reasonOf(first.transfer({ ...request, amount: usdt(3n) }))).toBe(
      'exists_with_different_fields',
    );
  });

  it('sees a pending transfer another ledger resolved, and an account another ledger closed', async () => {
    const { first, second, treasury, wallet, other } = await twoLedgers();
    const hold = await first.transfer({
      type: 'pending',
      id: transferId('hold'),
      code: 'test',
      debitAccountId: wallet.id,
      creditAccountId: other.id,
      amount: usdt(3n),
    });
    await second.transfer({
      type: 'void_pending',
      id: transferId(),
      code: 'test',
      pendingId: hold.transfer.id,
    });
    expect(
      await reasonOf(
        first.transfer({ type: 'post_pending', id: transferId(), code: 'test', pendingId: hold.transfer.id }),
      ),
    ).toBe('pending_already_voided');

    const closing = await account(first);
    await first.transfer(posted(treasury.id, closing.id, 1n));
    await first.transfer(posted(closing.id, treasury.id, 1n));
    await second.closeAccount(closing.id);
    expect(await reasonOf(first.transfer(posted(treasury.id, closing.id, 1n)))).toBe('account_closed');
    expect((await first.verify()).problems).toEqual([]);
  });

  // In the next two the accounts' totals end where the first ledger knew them: only the ids can tell it what changed.
  it('answers a repeat of a pending transfer another ledger opened and voided since with that transfer', async () => {
    const { first, second, wallet, other } = await twoLedgers();
    const request: TransferRequest = {
      type: 'pending',
      id: transferId('hold'),
      code: 'test',
      debitAccountId: wallet.id,
      creditAccountId: other.id,
      amount: usdt(3n),
    };
    const original = await second.transfer(request);
    await second.transfer({ type: 'void_pending', id: transferId(), code: 'test', pendingId: request.id });
    const before = extraRoundTrips(first);
    const repeat = await first.transfer(request);
    expect(repeat).toMatchObject({ status: 'exists', transfer: { seq: original.transfer.seq } });
    // One stale answer; without the ids' check the insert would fail on the unique id and be retried after a read.
    expect(extraRoundTrips(first)).toEqual({ ...before, staleAnswers: before.staleAnswers + 1 });
  });

  it('sees a pending transfer another ledger resolved while opening another of the same amount', async () => {
    const { first, second, wallet, other } = await twoLedgers();
    const hold = (id: string): TransferRequest => ({
      type: 'pending',
      id,
      code: 'test',
      debitAccountId: wallet.id,
      creditAccountId: other.id,
      amount: usdt(3n),
    });
    const held = await first.transfer(hold(transferId('hold')));
    await second.submit([
      { type: 'void_pending', id: transferId(), code: 'test', pendingId: held.transfer.id },
      hold(transferId('hold')),
    ]);
    const before = extraRoundTrips(first);
    expect(
      await reasonOf(
        first.transfer({ type: 'post_pending', id: transferId(), code: 'test', pendingId: held.transfer.id }),
      ),
    ).toBe('pending_already_voided');
    expect(extraRoundTrips(first)).toEqual({ ...before, staleAnswers: before.staleAnswers + 1 });
    expect((await first.verify()).problems).toEqual([]);
  });

  it('reads accounts it has not seen before planning, in one extra round trip', async () => {
    const { first, treasury } = await twoLedgers();
    const fresh = createLedger({ pool: database.pool });
    const wallet = await account(first);
    await fresh.transfer(posted(treasury.id, wallet.id, 5n));
    expect(extraRoundTrips(fresh)).toEqual({ loads: 1, staleAnswers: 0, lockedFallbacks: 0 });
    await fresh.transfer(posted(treasury.id, wallet.id, 5n));
    expect(extraRoundTrips(fresh)).toEqual({ loads: 1, staleAnswers: 0, lockedFallbacks: 0 });
    expect(await reasonOf(fresh.transfer(posted(treasury.id, 999_999_999n, 1n)))).toBe('account_not_found');
  });
});

describe('the locked path', () => {
  it('commits a batch whose plans the database keeps finding out of date, after locking its state', async () => {
    const ledger = createLedger({ pool: database.pool });
    const treasury = await account(ledger, { kind: 'asset' });
    const wallet = await account(ledger);
    await ledger.transfer(posted(treasury.id, wallet.id, 5n));
    // A committer that never plans optimistically, and one whose knowledge is wrong: both must take the locked path.
    const known = createKnownState({ accountsMax: 10, pendingMax: 10 });
    for (const optimisticAttemptsMax of [0, 1]) {
      const committer = createBatchCommitter({
        pool: database.pool,
        now: () => new Date(),
        known,
        optimisticAttemptsMax,
      });
      const [current] = await ledger.accounts([treasury.id, wallet.id]);
      known.learnWritten([{ ...current!, debitsPosted: 12_345n }], [], []);
      const request = posted(treasury.id, wallet.id, 1n);
      const [outcome] = await committer.commit([{ batchId: request.id, requests: [request] }]);
      expect(outcome).toMatchObject([{ status: 'created' }]);
      expect(committer.counts().lockedFallbacks).toBe(1);
    }
    expect((await ledger.balances([wallet.id]))[0]!.creditsPosted).toBe(7n);
    expect((await ledger.verify()).problems).toEqual([]);
  });
});

describe('what a ledger knows', () => {
  it('keeps at most its bounds, the most recently used last to go', () => {
    const known = createKnownState({ accountsMax: 2, pendingMax: 1 });
    const state = (id: bigint) => ({
      id,
      asset: 'USDT',
      debitsMustNotExceedCredits: false,
      creditsMustNotExceedDebits: false,
      closed: false,
      debitsPosted: 0n,
      creditsPosted: 0n,
      debitsPending: 0n,
      creditsPending: 0n,
    });
    known.learnWritten([state(1n), state(2n)], [], []);
    known.learnWritten([state(1n), state(3n)], [], []);
    expect(known.size.accounts).toBe(2);
    const needs = needsOf([{ batchId: 'a', requests: [posted(1n, 3n, 1n)] }]);
    expect(known.viewFor(needs).complete).toBe(true);
    expect(known.viewFor(needsOf([{ batchId: 'b', requests: [posted(1n, 2n, 1n)] }])).complete).toBe(false);
  });
});
