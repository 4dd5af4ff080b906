// What a reconciliation reports: findings, each either a difference (the books and the outside world disagree) or an
// item in flight (it will settle by itself: a deposit not yet final, an authorization not yet cleared). Every finding
// names its objects (transaction id and log index, address, card, load, provider transaction) and carries both
// sides' amounts in minor units of its asset, never only a total.
export type Comparison = 'ledger' | 'chain' | 'provider';
export type FindingCategory = 'difference' | 'in_flight';

export interface Finding {
  readonly comparison: Comparison;
  readonly category: FindingCategory;
  /** snake_case, stable: what operators and alerts filter on. */
  readonly kind: string;
  readonly asset: string | null;
  /** The ledger's side (for the ledger's own check: the stored figure), or null when the ledger has nothing. */
  readonly ledgerMinor: bigint | null;
  /** The other side (the chain, the provider, or the journal), or null when it has nothing. */
  readonly otherMinor: bigint | null;
  /** The objects the finding is about, by name: txId, logIndex, address, cardId, loadId, providerTransactionId… */
  readonly objects: Readonly<Record<string, string>>;
  /** One sentence an operator reads. */
  readonly detail: string;
}

export interface ComparisonResult {
  readonly comparison: Comparison;
  /** The point the comparison was made at, in words and figures (ledger seq, chain blocks, provider time). */
  readonly asOf: Readonly<Record<string, string>>;
  /** How many objects were compared, by what they are. */
  readonly checked: Readonly<Record<string, number>>;
  readonly findings: readonly Finding[];
  readonly durationMs: number;
}

export function difference(finding: Omit<Finding, 'category'>): Finding {
  return { ...finding, category: 'difference' };
}

export function inFlight(finding: Omit<Finding, 'category'>): Finding {
  return { ...finding, category: 'in_flight' };
}

export const countDifferences = (findings: readonly Finding[]): number =>
  findings.filter((finding) => finding.category === 'difference').length;
