// Proves the chain comparison's rules on their own, without I/O: a held and a rejected deposit are each one ledger
// effect and count in their address's balance (a rejection stays on chain, so the treasury leaves it out); a final
// transfer inside the credit grace is in flight and outside it a difference; an address that moved while balances
// were read is in flight; a credit whose transfer is not final yet is matched, not reported as having no transfer.
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '@cardgate/ledger';
import {
  chainFindings,
  depositEffectsOf,
  type ChainComparisonInput,
  type ChainTransfer,
} from './compare-chain.ts';

const alice = { userId: 'alice', hex41: `41${'a1'.repeat(20)}`, base58: 'Talice' };
const bob = { userId: 'bob', hex41: `41${'b2'.repeat(20)}`, base58: 'Tbob' };
const tx = (n: number): string => n.toString(16).padStart(64, '0');
const transfer = (n: number, to: string, amountMinor: bigint, blockNumber: number): ChainTransfer => ({
  txId: tx(n),
  logIndex: 0,
  toHex41: to,
  fromHex41: `41${'ff'.repeat(20)}`,
  amountMinor,
  blockNumber,
});
let seq = 0n;
const entry = (
  n: number,
  userId: string,
  amountMinor: bigint,
  kind: 'posted' | 'pending',
  resolvedAs: JournalEntry['resolvedAs'] = null,
): JournalEntry => ({
  seq: (seq += 1n),
  id: `deposit:${tx(n)}:0`,
  kind,
  code: kind === 'posted' ? 'deposit' : 'deposit_review',
  asset: 'USDT',
  amountMinor,
  pendingId: null,
  metadata: { txId: tx(n), logIndex: 0, userId },
  resolvedAs,
});

function input(overrides: Partial<ChainComparisonInput>): ChainComparisonInput {
  return {
    finalTransfers: [],
    recentTransfers: [],
    solidifiedBlock: 100,
    creditGraceBlocks: 10,
    addresses: [alice, bob],
    balances: new Map([
      [alice.hex41, 0n],
      [bob.hex41, 0n],
    ]),
    movingAddresses: new Set(),
    effects: [],
    treasury: undefined,
    rescanHint: (from, to) => `rescan ${from} ${to}`,
    ...overrides,
  };
}

describe('the chain comparison', () => {
  it('counts held and rejected deposits on their addresses and leaves rejected ones out of the treasury', () => {
    const findings = chainFindings(
      input({
        finalTransfers: [
          transfer(1, alice.hex41, 30n, 50),
          transfer(2, alice.hex41, 3n, 51),
          transfer(3, bob.hex41, 4n, 52),
        ],
        balances: new Map([
          [alice.hex41, 33n],
          [bob.hex41, 4n],
        ]),
        effects: depositEffectsOf([
          entry(1, 'alice', 30n, 'posted'),
          entry(2, 'alice', 3n, 'pending'),
          entry(3, 'bob', 4n, 'pending', 'void_pending'),
        ]),
        treasury: { debitsPosted: 30n, creditsPosted: 0n, debitsPending: 3n, creditsPending: 0n },
      }),
    );
    expect(findings).toEqual([]);
  });

  it('tells a transfer inside the credit grace (in flight) from one outside it (a difference), and names the rescan', () => {
    const findings = chainFindings(
      input({
        finalTransfers: [transfer(1, alice.hex41, 5n, 95), transfer(2, bob.hex41, 6n, 80)],
        balances: new Map([
          [alice.hex41, 5n],
          [bob.hex41, 6n],
        ]),
      }),
    );
    expect(
      findings.map((finding) => [
        finding.category,
        finding.kind,
        finding.objects.txId ?? finding.objects.address,
      ]),
    ).toEqual([
      ['in_flight', 'final_deposit_not_yet_credited', tx(1)],
      ['difference', 'final_deposit_not_credited', tx(2)],
      ['difference', 'address_balance_differs', bob.base58],
      ['difference', 'treasury_differs', undefined],
    ]);
    expect(findings[1]!.objects.rescan).toBe('rescan 80 80');
    expect(findings[3]).toMatchObject({ ledgerMinor: 0n, otherMinor: 6n });
  });

  it('matches a credit to a transfer not final yet and lists a moving address as in flight', () => {
    const findings = chainFindings(
      input({
        recentTransfers: [transfer(1, alice.hex41, 7n, 101)],
        balances: new Map([
          [alice.hex41, 7n],
          [bob.hex41, 9n],
        ]),
        movingAddresses: new Set([bob.hex41]),
        effects: depositEffectsOf([entry(1, 'alice', 7n, 'posted')]),
        treasury: { debitsPosted: 7n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n },
      }),
    );
    expect(findings.map((finding) => [finding.category, finding.kind])).toEqual([
      ['in_flight', 'deposit_not_final'],
      ['in_flight', 'address_balance_moving'],
      ['in_flight', 'treasury_moving'],
    ]);
  });
});
