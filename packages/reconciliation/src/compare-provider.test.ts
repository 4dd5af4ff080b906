// Proves the provider comparison's rules on their own, without I/O: a transaction that moved within the grace is in
// flight and outside it a difference; a declined authorization that moved nothing needs no card_transaction; a
// card_transaction the provider does not list is a difference; a load in progress within the grace is in flight; the
// program balance is compared with provider:prefund:USD as an asset (debits − credits posted, pending credits held).
import { describe, expect, it } from 'vitest';
import { moneyFromMinor, USD } from '@cardgate/money';
import type { ProviderTransactionListed } from '@cardgate/card-provider';
import { providerFindings, type ProviderComparisonInput } from './compare-provider.ts';

const nowMs = Date.parse('2026-12-03T12:00:00.000Z');
const usd = (minor: bigint) => moneyFromMinor(minor, USD);
const card = { cardId: 'crd_a', userId: 'u', state: 'OPEN', providerToken: 'card_a', ledgerAccountId: 7n };
const txn = (
  token: string,
  settled: bigint,
  pending: bigint,
  status: string,
  lastEventAt: string,
): ProviderTransactionListed => ({
  token,
  cardToken: 'card_a',
  status,
  amount: usd(settled + pending),
  settledAmount: usd(settled),
  pendingAmount: usd(pending),
  descriptor: null,
  mcc: null,
  lastEventAt,
});

function input(overrides: Partial<ProviderComparisonInput>): ProviderComparisonInput {
  return {
    providerCards: [
      {
        token: 'card_a',
        type: 'VIRTUAL',
        state: 'OPEN',
        lastFour: '0000',
        balance: { settled: usd(0n), pending: usd(0n), available: usd(0n) },
      },
    ],
    providerTransactions: [],
    providerLoads: [],
    programBalance: { total: usd(0n), pending: usd(0n), available: usd(0n), asOf: '' },
    cards: [card],
    cardAccounts: new Map([
      [7n, { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n }],
    ]),
    transactions: [],
    loads: [],
    loadPosts: [],
    prefund: undefined,
    readAtMs: nowMs,
    graceMs: 60_000,
    ...overrides,
  };
}

describe('the provider comparison', () => {
  it('tells recent from old unseen transactions and ignores declines that moved nothing', () => {
    const findings = providerFindings(
      input({
        providerTransactions: [
          txn('txn_recent', 100n, 0n, 'SETTLED', '2026-12-03T11:59:30.000Z'),
          txn('txn_old', 200n, 0n, 'SETTLED', '2026-12-03T11:00:00.000Z'),
          txn('txn_declined', 0n, 0n, 'DECLINED', '2026-12-03T11:00:00.000Z'),
        ],
        transactions: [
          {
            providerTransactionId: 'txn_gone',
            cardId: 'crd_a',
            pendingDebitMinor: 0n,
            pendingCreditMinor: 0n,
            debitedMinor: 50n,
            creditedMinor: 0n,
          },
        ],
        programBalance: { total: usd(-300n), pending: usd(0n), available: usd(-300n), asOf: 'now' },
        prefund: { debitsPosted: 0n, creditsPosted: 300n, debitsPending: 0n, creditsPending: 0n },
      }),
    );
    expect(
      findings.map((finding) => [finding.category, finding.kind, finding.objects.providerTransactionId]),
    ).toEqual([
      ['in_flight', 'provider_transaction_not_yet_seen', 'txn_recent'],
      ['difference', 'provider_transaction_not_seen', 'txn_old'],
      ['difference', 'transaction_unknown_to_provider', 'txn_gone'],
    ]);
  });

  it('lists a load in progress as in flight and names a program balance that differs with both sides', () => {
    const findings = providerFindings(
      input({
        providerLoads: [
          {
            token: 'load_1',
            cardToken: 'card_a',
            idempotencyKey: 'load:l1',
            amount: usd(500n),
            createdAt: '2026-12-03T11:59:50.000Z',
          },
        ],
        loads: [
          {
            loadId: 'l1',
            cardId: 'crd_a',
            status: 'loading',
            providerLoadToken: null,
            netUsdMinor: 500n,
            createdAtMs: 0n,
          },
        ],
        providerCards: [
          {
            token: 'card_a',
            type: 'VIRTUAL',
            state: 'OPEN',
            lastFour: '0000',
            balance: { settled: usd(500n), pending: usd(0n), available: usd(500n) },
          },
        ],
        programBalance: { total: usd(-5n), pending: usd(0n), available: usd(-5n), asOf: 'now' },
      }),
    );
    expect(
      findings.map((finding) => [finding.category, finding.kind, finding.ledgerMinor, finding.otherMinor]),
    ).toEqual([
      ['in_flight', 'card_balance_moving', 0n, 500n],
      ['in_flight', 'load_in_progress', null, 500n],
      ['difference', 'program_balance_differs', 0n, -5n],
    ]);
  });
});
