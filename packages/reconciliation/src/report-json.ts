// A report as JSON: amounts as decimal strings of minor units (never JSON numbers), for `--json`, for the Temporal
// activity's result and for the API.
import type { Finding } from './findings.ts';
import type { ReconciliationReport } from './reconciler.ts';

export interface FindingJson {
  readonly comparison: string;
  readonly category: string;
  readonly kind: string;
  readonly asset: string | null;
  readonly ledgerMinor: string | null;
  readonly otherMinor: string | null;
  readonly objects: Readonly<Record<string, string>>;
  readonly detail: string;
}

export interface ReconciliationReportJson {
  readonly runId: string;
  readonly trigger: string;
  readonly startedAt: string;
  readonly asOf: Readonly<Record<string, string>>;
  readonly differences: number;
  readonly inFlight: number;
  readonly durationMs: number;
  readonly timingsMs: Readonly<Record<string, number>>;
  readonly comparisons: readonly {
    readonly comparison: string;
    readonly asOf: Readonly<Record<string, string>>;
    readonly checked: Readonly<Record<string, number>>;
    readonly differences: number;
    readonly inFlight: number;
    readonly durationMs: number;
  }[];
  readonly findings: readonly FindingJson[];
}

export function findingToJson(finding: Finding): FindingJson {
  return {
    ...finding,
    ledgerMinor: finding.ledgerMinor === null ? null : finding.ledgerMinor.toString(),
    otherMinor: finding.otherMinor === null ? null : finding.otherMinor.toString(),
  };
}

export function reportToJson(report: ReconciliationReport): ReconciliationReportJson {
  return {
    runId: report.runId.toString(),
    trigger: report.trigger,
    startedAt: report.startedAt,
    asOf: report.asOf,
    differences: report.differences,
    inFlight: report.inFlight,
    durationMs: Math.round(report.durationMs),
    timingsMs: report.timingsMs,
    comparisons: report.comparisons.map((comparison) => {
      const differences = comparison.findings.filter((finding) => finding.category === 'difference').length;
      return {
        comparison: comparison.comparison,
        asOf: comparison.asOf,
        checked: comparison.checked,
        differences,
        inFlight: comparison.findings.length - differences,
        durationMs: Math.round(comparison.durationMs),
      };
    }),
    findings: report.findings.map(findingToJson),
  };
}
