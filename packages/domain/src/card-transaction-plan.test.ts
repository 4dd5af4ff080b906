// Proves the card transaction planner without a database: from what the ledger holds and the target it plans the
// transfers (void the old pending debit or credit, place the new one, post the debit and credit deltas), ids that
// carry the next version, and the row's next value; nothing when nothing changes; a shrinking posted total refused.
import { describe, expect, it } from 'vitest';
import { isAppError } from '@cardgate/errors';
import { planCardTransaction, type CardTransactionLedgerState } from './card-transaction-plan.ts';

const nothingHeld: CardTransactionLedgerState = {
  appliedVersion: 0,
  pendingDebitMinor: 0n,
  pendingDebitTransferId: null,
  pendingCreditMinor: 0n,
  pendingCreditTransferId: null,
  debitedMinor: 0n,
  creditedMinor: 0n,
  expired: false,
};
const accounts = { card: 11n, providerPrefund: 22n };
const target = (
  values: Partial<
    Record<'pendingDebitMinor' | 'pendingCreditMinor' | 'debitedMinor' | 'creditedMinor', bigint>
  >,
) => ({
  pendingDebitMinor: 0n,
  pendingCreditMinor: 0n,
  debitedMinor: 0n,
  creditedMinor: 0n,
  ...values,
});
const plan = (state: CardTransactionLedgerState, values: Parameters<typeof target>[0], expired = false) =>
  planCardTransaction({ providerTransactionId: 'txn_1', state, target: target(values), expired, accounts });

describe('card transaction planner', () => {
  it('places a pending debit for an authorization, with an id of the next version', () => {
    const result = plan(nothingHeld, { pendingDebitMinor: 1_000n });
    expect(result.kind).toBe('apply');
    if (result.kind !== 'apply') return;
    expect(result.transfers).toEqual([
      expect.objectContaining({
        type: 'pending',
        id: 'ctx:txn_1:1:hold',
        code: 'card_hold',
        debitAccountId: 11n,
        creditAccountId: 22n,
        amount: expect.objectContaining({ minor: 1_000n }),
      }),
    ]);
    expect(result.next).toMatchObject({
      appliedVersion: 1,
      pendingDebitMinor: 1_000n,
      pendingDebitTransferId: 'ctx:txn_1:1:hold',
    });
  });

  it('on a clearing voids the old pending debit, places what is left and posts the delta', () => {
    const held = {
      ...nothingHeld,
      appliedVersion: 1,
      pendingDebitMinor: 1_000n,
      pendingDebitTransferId: 'ctx:txn_1:1:hold',
    };
    const result = plan(held, { pendingDebitMinor: 200n, debitedMinor: 800n });
    if (result.kind !== 'apply') throw new Error('expected a plan');
    expect(result.transfers.map((transfer) => [transfer.type, transfer.id])).toEqual([
      ['void_pending', 'ctx:txn_1:2:release'],
      ['pending', 'ctx:txn_1:2:hold'],
      ['posted', 'ctx:txn_1:2:debit'],
    ]);
    expect(result.next).toMatchObject({ appliedVersion: 2, pendingDebitMinor: 200n, debitedMinor: 800n });
  });

  it('credits the card for a pending credit and a return; releases all at expiry and records the expiry', () => {
    const result = plan(nothingHeld, { pendingCreditMinor: 500n, creditedMinor: 300n });
    if (result.kind !== 'apply') throw new Error('expected a plan');
    expect(result.transfers.map((transfer) => [transfer.type, transfer.id])).toEqual([
      ['pending', 'ctx:txn_1:1:pending-credit'],
      ['posted', 'ctx:txn_1:1:credit'],
    ]);
    for (const transfer of result.transfers)
      expect(transfer).toMatchObject({ debitAccountId: 22n, creditAccountId: 11n });
    const expired = plan(result.next, { creditedMinor: 300n }, true);
    if (expired.kind !== 'apply') throw new Error('expected a plan');
    expect(expired.transfers.map((transfer) => transfer.id)).toEqual(['ctx:txn_1:2:credit-release']);
    expect(expired.next).toMatchObject({
      expired: true,
      pendingCreditMinor: 0n,
      pendingCreditTransferId: null,
    });
    expect(plan(expired.next, { creditedMinor: 300n }, true)).toEqual({ kind: 'unchanged' });
  });

  it('plans nothing when the ledger already holds the target, and refuses a posted total that shrinks', () => {
    expect(plan(nothingHeld, {})).toEqual({ kind: 'unchanged' });
    const posted = { ...nothingHeld, appliedVersion: 3, debitedMinor: 900n };
    expect(plan(posted, { debitedMinor: 900n })).toEqual({ kind: 'unchanged' });
    let refusal: unknown;
    try {
      plan(posted, { debitedMinor: 800n });
    } catch (error) {
      refusal = error;
    }
    expect(isAppError(refusal) && refusal.reason).toBe('target_regressed');
  });
});
