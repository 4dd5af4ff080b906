// The ledger against itself: `verify`'s problems as findings. Each is a difference (a broken invariant is never in
// flight), with its asset or account and both figures where the problem has two sides.
import type { VerifyReport } from '@cardgate/ledger';
import { difference, type Finding } from './findings.ts';

export function ledgerFindings(report: VerifyReport): Finding[] {
  return report.details.map((problem) =>
    difference({
      comparison: 'ledger',
      kind: problem.kind,
      asset: problem.asset ?? null,
      ledgerMinor: problem.leftMinor ?? null,
      otherMinor: problem.rightMinor ?? null,
      objects: {
        ...(problem.asset === undefined ? {} : { asset: problem.asset }),
        ...(problem.accountId === undefined ? {} : { accountId: problem.accountId.toString() }),
        ...(problem.field === undefined ? {} : { field: problem.field }),
      },
      detail: problem.message,
    }),
  );
}
