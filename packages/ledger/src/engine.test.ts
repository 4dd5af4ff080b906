// Proves the pure engine on its own, without a database: what each kind of request does to the accounts' totals and
// which rows it plans, that a refused request undoes its whole group (and only its group) with the reason and index,
// every refusal the engine can make, idempotency within and across batches, holds opened and resolved in one batch
// netted out of the open-hold bookkeeping, and that the input it is given is never changed.
import { describe, expect, it } from 'vitest';
import {
  applyGroups,
  type AccountState,
  type EngineGroup,
  type EngineInput,
  type EngineRequest,
} from './engine.ts';
import type { LedgerErrorReason } from './ledger-error.ts';
import { usd, usdt } from './testing.ts';
import type { Totals, Transfer, TransferKind } from './types.ts';

const zero: Totals = { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n };
const now = new Date('2026-01-01T00:00:00Z');

function accountState(id: bigint, overrides: Partial<AccountState> = {}): AccountState {
  return {
    id,
    asset: 'USDT',
    debitsMustNotExceedCredits: false,
    creditsMustNotExceedDebits: false,
    closed: false,
    ...zero,
    ...overrides,
  };
}

/** Treasury 1 (asset side), wallet 2 funded with 1,000 and not allowed to overspend, wallet 3 empty, fees 4. */
function baseAccounts(): Map<bigint, AccountState> {
  return new Map([
    [1n, accountState(1n, { debitsPosted: 1_000n })],
    [2n, accountState(2n, { creditsPosted: 1_000n, debitsMustNotExceedCredits: true })],
    [3n, accountState(3n, { debitsMustNotExceedCredits: true })],
    [4n, accountState(4n)],
  ]);
}

function input(overrides: Partial<EngineInput> = {}): EngineInput {
  return { accounts: baseAccounts(), existing: new Map(), resolutions: new Map(), now, ...overrides };
}

function group(...requests: EngineRequest[]): EngineGroup {
  return { batchId: requests[0]!.id, requests };
}

const posted = (id: string, debit: bigint, credit: bigint, minor: bigint): EngineRequest => ({
  type: 'posted',
  id,
  code: 'transfer',
  debitAccountId: debit,
  creditAccountId: credit,
  amount: usdt(minor),
});

const pending = (
  id: string,
  debit: bigint,
  credit: bigint,
  minor: bigint,
  timeoutAt?: Date,
): EngineRequest => ({
  type: 'pending',
  id,
  code: 'hold',
  debitAccountId: debit,
  creditAccountId: credit,
  amount: usdt(minor),
  ...(timeoutAt ? { timeoutAt } : {}),
});

/** A committed pending transfer of 300 from wallet 2 to fees 4, as the store would load it. */
function committedPending(id: string, overrides: Partial<Transfer> = {}): Transfer {
  return {
    seq: 7n,
    id,
    batchId: id,
    kind: 'pending',
    code: 'hold',
    asset: 'USDT',
    debitAccountId: 2n,
    creditAccountId: 4n,
    amountMinor: 300n,
    pendingId: null,
    timeoutAt: null,
    metadata: {},
    debitAfter: zero,
    creditAfter: zero,
    createdAt: now,
    ...overrides,
  };
}

/** Accounts 2 and 4 as they stand while committedPending is open. */
function accountsWithPending(): Map<bigint, AccountState> {
  const accounts = baseAccounts();
  accounts.set(2n, { ...accounts.get(2n)!, debitsPending: 300n });
  accounts.set(4n, { ...accounts.get(4n)!, creditsPending: 300n });
  return accounts;
}

function refusal(outcome: ReturnType<typeof applyGroups>['outcomes'][number]): {
  reason: LedgerErrorReason;
  index: number | undefined;
} {
  if (outcome.ok) throw new Error('expected a refusal');
  return { reason: outcome.error.reason, index: outcome.error.index };
}

function after(output: ReturnType<typeof applyGroups>, id: bigint): Totals | undefined {
  return output.changedAccounts.find((change) => change.id === id)?.after;
}

describe('posted and pending transfers', () => {
  it('moves posted totals on both sides and records each side after the transfer', () => {
    const output = applyGroups(input(), [group(posted('a', 2n, 3n, 400n))]);
    expect(output.outcomes[0]).toMatchObject({ ok: true, results: [{ status: 'created' }] });
    expect(output.inserts).toHaveLength(1);
    expect(output.inserts[0]).toMatchObject({
      kind: 'posted',
      amountMinor: 400n,
      debitAfter: { debitsPosted: 400n, creditsPosted: 1_000n },
      creditAfter: { creditsPosted: 400n },
    });
    expect(after(output, 2n)).toEqual({ ...zero, debitsPosted: 400n, creditsPosted: 1_000n });
    expect(after(output, 3n)).toEqual({ ...zero, creditsPosted: 400n });
    expect(output.changedAccounts.find((change) => change.id === 2n)?.before).toEqual({
      ...zero,
      creditsPosted: 1_000n,
    });
  });

  it('reserves a hold in pending totals, counts it against the flag, and opens it', () => {
    const output = applyGroups(input(), [
      group(pending('h', 2n, 4n, 700n)),
      group(posted('b', 2n, 3n, 400n)),
    ]);
    expect(after(output, 2n)).toEqual({ ...zero, creditsPosted: 1_000n, debitsPending: 700n });
    expect(after(output, 4n)).toEqual({ ...zero, creditsPending: 700n });
    expect(output.pendingOpened.map(({ id }) => id)).toEqual(['h']);
    // 700 held + 400 spent > 1,000 received: the second group is refused.
    expect(refusal(output.outcomes[1]!)).toEqual({ reason: 'exceeds_credits', index: 0 });
  });

  it('never changes the accounts it is given', () => {
    const accounts = baseAccounts();
    const snapshot = structuredClone([...accounts.values()]);
    applyGroups(input({ accounts }), [group(posted('a', 2n, 3n, 400n), posted('b', 3n, 4n, 400n))]);
    expect([...accounts.values()]).toEqual(snapshot);
  });
});

describe('resolving holds', () => {
  const pendingIn = (overrides: Partial<Transfer> = {}): Partial<EngineInput> => ({
    accounts: accountsWithPending(),
    existing: new Map([['h', committedPending('h', overrides)]]),
  });

  it('posts a hold in part: releases all of it and posts what was asked', () => {
    const output = applyGroups(input(pendingIn()), [
      group({ type: 'post_pending', id: 'p', code: 'hold', pendingId: 'h', amount: usdt(120n) }),
    ]);
    expect(output.inserts[0]).toMatchObject({ kind: 'post_pending', amountMinor: 120n, pendingId: 'h' });
    expect(after(output, 2n)).toEqual({ ...zero, creditsPosted: 1_000n, debitsPosted: 120n });
    expect(after(output, 4n)).toEqual({ ...zero, creditsPosted: 120n });
    expect(output.pendingResolved).toEqual(['h']);
  });

  it('voids a hold: releases it and moves nothing', () => {
    const output = applyGroups(input(pendingIn()), [
      group({ type: 'void_pending', id: 'v', code: 'hold', pendingId: 'h' }),
    ]);
    expect(output.inserts[0]).toMatchObject({ kind: 'void_pending', amountMinor: 300n });
    expect(after(output, 2n)).toEqual({ ...zero, creditsPosted: 1_000n });
    expect(after(output, 4n)).toEqual(zero);
  });

  it('expires a hold past its timeout, and refuses to post it', () => {
    const expiredPending = pendingIn({ timeoutAt: new Date(now.getTime() - 1) });
    const expired = applyGroups(input(expiredPending), [
      group({ type: 'expire_pending', id: 'x', code: 'expiry', pendingId: 'h' }),
    ]);
    expect(expired.inserts[0]).toMatchObject({ kind: 'expire_pending' });
    const post = applyGroups(input(expiredPending), [
      group({ type: 'post_pending', id: 'p', code: 'hold', pendingId: 'h' }),
    ]);
    expect(refusal(post.outcomes[0]!).reason).toBe('pending_expired');
  });

  it('refuses holds already resolved, missing, over-posted or posted in another asset', () => {
    const cases: [Partial<EngineInput>, EngineRequest, LedgerErrorReason][] = [
      [
        { ...pendingIn(), resolutions: new Map<string, TransferKind>([['h', 'post_pending']]) },
        { type: 'void_pending', id: 'v', code: 'hold', pendingId: 'h' },
        'pending_already_posted',
      ],
      [
        { ...pendingIn(), resolutions: new Map<string, TransferKind>([['h', 'expire_pending']]) },
        { type: 'post_pending', id: 'p', code: 'hold', pendingId: 'h' },
        'pending_already_voided',
      ],
      [{}, { type: 'post_pending', id: 'p', code: 'hold', pendingId: 'h' }, 'pending_not_found'],
      [
        pendingIn(),
        { type: 'post_pending', id: 'p', code: 'hold', pendingId: 'h', amount: usdt(301n) },
        'post_exceeds_pending',
      ],
      [
        pendingIn(),
        { type: 'post_pending', id: 'p', code: 'hold', pendingId: 'h', amount: usd(1n) },
        'asset_mismatch',
      ],
    ];
    for (const [overrides, request, reason] of cases) {
      const output = applyGroups(input(overrides), [group(request)]);
      expect(refusal(output.outcomes[0]!).reason, reason).toBe(reason);
      expect(output.inserts, reason).toEqual([]);
    }
  });

  it('opens and resolves a hold in one batch without touching the open-hold bookkeeping', () => {
    const output = applyGroups(input(), [
      group(pending('h', 2n, 4n, 500n)),
      group({ type: 'void_pending', id: 'v', code: 'hold', pendingId: 'h' }),
    ]);
    expect(output.inserts.map(({ kind }) => kind)).toEqual(['pending', 'void_pending']);
    expect(output.pendingOpened).toEqual([]);
    expect(output.pendingResolved).toEqual([]);
    expect(after(output, 2n)).toEqual({ ...zero, creditsPosted: 1_000n });
  });
});

describe('refusals', () => {
  it('refuses with each reason and the index of the offending request', () => {
    const accounts = baseAccounts();
    accounts.set(5n, accountState(5n, { asset: 'USD' }));
    accounts.set(6n, accountState(6n, { closed: true }));
    accounts.set(7n, accountState(7n, { creditsMustNotExceedDebits: true }));
    const cases: [EngineRequest, LedgerErrorReason][] = [
      [posted('a', 2n, 99n, 1n), 'account_not_found'],
      [posted('a', 2n, 5n, 1n), 'asset_mismatch'],
      [posted('a', 2n, 6n, 1n), 'account_closed'],
      [posted('a', 3n, 4n, 1n), 'exceeds_credits'],
      [posted('a', 1n, 7n, 1n), 'exceeds_debits'],
    ];
    for (const [request, reason] of cases) {
      const output = applyGroups(input({ accounts }), [group(posted('ok', 1n, 4n, 1n), request)]);
      expect(refusal(output.outcomes[0]!), reason).toEqual({ reason, index: 1 });
    }
  });

  it('undoes a refused group whole, and only that group: later groups see the totals without it', () => {
    const output = applyGroups(input(), [
      group(posted('a', 2n, 3n, 600n)),
      // Spends 300 of what wallet 3 just received, then overdraws wallet 2: all of it is undone.
      group(posted('b', 3n, 4n, 300n), posted('c', 2n, 4n, 401n)),
      group(posted('d', 3n, 4n, 600n)),
    ]);
    expect(output.outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    expect(output.inserts.map(({ id }) => id)).toEqual(['a', 'd']);
    expect(after(output, 3n)).toEqual({ ...zero, creditsPosted: 600n, debitsPosted: 600n });
    expect(after(output, 4n)).toEqual({ ...zero, creditsPosted: 600n });
    expect(after(output, 2n)).toEqual({ ...zero, creditsPosted: 1_000n, debitsPosted: 600n });
  });

  it('lets nothing but a LedgerError count as a refusal', () => {
    const broken = new Map([[2n, accountState(2n)]]);
    // An account whose totals are not bigints makes the engine fail as a bug, not refuse as a business rule.
    broken.set(3n, { ...accountState(3n), creditsPosted: undefined as unknown as bigint });
    expect(() => applyGroups(input({ accounts: broken }), [group(posted('a', 2n, 3n, 1n))])).toThrow(
      TypeError,
    );
  });
});

describe('idempotency', () => {
  it('answers a repeat of a committed transfer with it, and refuses the same id with other content', () => {
    const committed = committedPending('h');
    const existing = new Map([['h', committed]]);
    const same = applyGroups(input({ accounts: accountsWithPending(), existing }), [
      group(pending('h', 2n, 4n, 300n)),
    ]);
    expect(same.outcomes[0]).toMatchObject({
      ok: true,
      results: [{ status: 'exists', transfer: committed }],
    });
    expect(same.inserts).toEqual([]);
    expect(same.changedAccounts).toEqual([]);
    const other = applyGroups(input({ accounts: accountsWithPending(), existing }), [
      group(pending('h', 2n, 4n, 301n)),
    ]);
    expect(refusal(other.outcomes[0]!).reason).toBe('exists_with_different_fields');
  });

  it('answers a repeat within a batch with the transfer an earlier group created, but refuses one within a group', () => {
    const across = applyGroups(input(), [group(posted('a', 2n, 3n, 1n)), group(posted('a', 2n, 3n, 1n))]);
    expect(across.outcomes[1]).toMatchObject({ ok: true, results: [{ status: 'exists' }] });
    expect(across.inserts).toHaveLength(1);
    const within = applyGroups(input(), [group(posted('a', 2n, 3n, 1n), posted('a', 2n, 3n, 1n))]);
    expect(refusal(within.outcomes[0]!)).toEqual({ reason: 'duplicate_in_batch', index: 1 });
  });

  it('judges a repeat of a resolution by idempotency, not as a second resolution', () => {
    const hold = committedPending('h');
    const voided: Transfer = { ...hold, seq: 8n, id: 'v', kind: 'void_pending', pendingId: 'h' };
    const output = applyGroups(
      input({
        existing: new Map([
          ['h', hold],
          ['v', voided],
        ]),
        resolutions: new Map<string, TransferKind>([['h', 'void_pending']]),
      }),
      [group({ type: 'void_pending', id: 'v', code: 'hold', pendingId: 'h' })],
    );
    expect(output.outcomes[0]).toMatchObject({ ok: true, results: [{ status: 'exists', transfer: voided }] });
  });
});
