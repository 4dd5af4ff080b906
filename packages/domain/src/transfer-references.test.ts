// Proves that every transfer id the flows write names its business object: the deposit's credit, fee, release and
// rejection; a card issue fee, its post and void; every transfer of a card load (built by the load planner) and of a
// card transaction (built by the transaction planner); anything else is `other`, never a wrong object.
import { describe, expect, it } from 'vitest';
import { moneyFromMinor, USD, USDT } from '@cardgate/money';
import { planCardLoadPending, planCardLoadPost, planCardLoadVoid } from './card-load-plan.ts';
import { planCardTransaction } from './card-transaction-plan.ts';
import { businessReferenceOf, cardIssueFeeTransferIds, depositTransferIds } from './transfer-references.ts';

const txId = 'ab'.repeat(32);

describe('business references of transfer ids', () => {
  it('names the deposit of each deposit transfer', () => {
    for (const id of Object.values(depositTransferIds(txId, 3)))
      expect(businessReferenceOf(id)).toEqual({ type: 'deposit', txId, logIndex: 3 });
  });

  it('names the card of each card issue fee transfer', () => {
    for (const id of Object.values(cardIssueFeeTransferIds('crd_abcdefgh12')))
      expect(businessReferenceOf(id)).toEqual({ type: 'card_issue', cardId: 'crd_abcdefgh12' });
  });

  it('names the load of every transfer the load planner writes', () => {
    const loadId = 'dep-abc-0';
    const ids = [
      planCardLoadPending({
        loadId,
        cardId: 'crd_x',
        quote: { amount: moneyFromMinor(5n, USDT) },
        accounts: { wallet: 1n, fxPositionUsdt: 2n },
      }).id,
      ...planCardLoadPost({
        loadId,
        providerLoadToken: 'load_1',
        quote: {
          net: moneyFromMinor(4n, USD),
          spread: moneyFromMinor(1n, USD),
          fee: moneyFromMinor(0n, USD),
        },
        accounts: { card: 3n, fxPositionUsd: 4n, fxSpread: 5n },
      }).map((transfer) => transfer.id),
      planCardLoadVoid(loadId).id,
    ];
    expect(ids).toHaveLength(5);
    for (const id of ids) expect(businessReferenceOf(id)).toEqual({ type: 'card_load', loadId });
  });

  it('names the provider transaction of every transfer the transaction planner writes', () => {
    const plan = planCardTransaction({
      providerTransactionId: 'txn:with:colons',
      state: {
        appliedVersion: 1,
        pendingDebitMinor: 500n,
        pendingDebitTransferId: 'ctx:txn:with:colons:1:hold',
        pendingCreditMinor: 200n,
        pendingCreditTransferId: 'ctx:txn:with:colons:1:pending-credit',
        debitedMinor: 0n,
        creditedMinor: 0n,
        expired: false,
      },
      target: { pendingDebitMinor: 100n, pendingCreditMinor: 50n, debitedMinor: 400n, creditedMinor: 150n },
      expired: false,
      accounts: { card: 1n, providerPrefund: 2n },
    });
    expect(plan.kind).toBe('apply');
    const ids = plan.kind === 'apply' ? plan.transfers.map((transfer) => transfer.id) : [];
    expect(ids).toHaveLength(6);
    for (const id of ids)
      expect(businessReferenceOf(id)).toEqual({
        type: 'card_transaction',
        providerTransactionId: 'txn:with:colons',
      });
  });

  it('calls anything else other', () => {
    for (const id of ['test-funding:u:1', 'deposit', 'card:crd_x:usd', 'ctx:txn:1:unknown'])
      expect(businessReferenceOf(id)).toEqual({ type: 'other', transferId: id });
  });
});
