// The report as terminal tables (cli-table3): one row per comparison with its as-of point, what was checked, the
// counts and the time; then the findings, differences first, each with its objects and both sides' amounts.
import Table from 'cli-table3';
import { assetByCode, formatMoney, moneyFromMinor } from '@cardgate/money';
import type { Finding, ReconciliationReport } from '@cardgate/reconciliation';

/** Bound on the findings printed; --json has them all, and the run's stored record the first 10,000. */
const printedFindingsMax = 200;

function amount(minor: bigint | null, asset: string | null): string {
  if (minor === null) return '—';
  try {
    return `${formatMoney(moneyFromMinor(minor, assetByCode(asset)))} ${asset}`;
  } catch {
    return `${minor} (minor units)`;
  }
}

const pairs = (record: Readonly<Record<string, string | number>>): string =>
  Object.entries(record)
    .map(([key, value]) => `${key} ${value}`)
    .join('\n');

export function renderReport(report: ReconciliationReport): string {
  const summary = new Table({
    head: ['comparison', 'as of', 'checked', 'differences', 'in flight', 'time'],
  });
  for (const comparison of report.comparisons) {
    const differences = comparison.findings.filter((finding) => finding.category === 'difference').length;
    summary.push([
      comparison.comparison,
      pairs(comparison.asOf),
      pairs(comparison.checked),
      String(differences),
      String(comparison.findings.length - differences),
      `${(comparison.durationMs / 1000).toFixed(2)} s`,
    ]);
  }
  const ordered: Finding[] = [
    ...report.findings.filter((finding) => finding.category === 'difference'),
    ...report.findings.filter((finding) => finding.category === 'in_flight'),
  ];
  const lines = [
    `reconciliation run ${report.runId} (${report.startedAt}), ${(report.durationMs / 1000).toFixed(2)} s`,
    summary.toString(),
  ];
  if (ordered.length > 0) {
    const findings = new Table({ head: ['', 'comparison', 'kind', 'objects', 'ledger', 'other side'] });
    for (const finding of ordered.slice(0, printedFindingsMax))
      findings.push([
        finding.category === 'difference' ? 'DIFFERS' : 'in flight',
        finding.comparison,
        finding.kind,
        pairs(finding.objects),
        amount(finding.ledgerMinor, finding.asset),
        amount(finding.otherMinor, finding.asset),
      ]);
    lines.push(findings.toString());
    if (ordered.length > printedFindingsMax)
      lines.push(
        `… and ${ordered.length - printedFindingsMax} more (npm run reconcile -- --json lists them all)`,
      );
  }
  lines.push(
    report.differences === 0
      ? `no differences (${report.inFlight} in flight)`
      : `${report.differences} differences, ${report.inFlight} in flight`,
  );
  return `${lines.join('\n')}\n`;
}
