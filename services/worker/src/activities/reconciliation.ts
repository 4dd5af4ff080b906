// The scheduled reconciliation's one activity: a whole run (packages/reconciliation). It heartbeats every second
// like every activity (failures.ts), so a lost worker is noticed within the heartbeat timeout and the run starts
// again elsewhere; a run only reads and then records itself, so a repeat is harmless (the abandoned run stays
// `running`, the repeat is a new run).
import type { ReconciliationWorkflowResult } from '@cardgate/contracts';
import type { Reconciler } from '@cardgate/reconciliation';
import { AppError } from '@cardgate/errors';
import type { Logger } from '@cardgate/config';

export function createReconciliationActivities(dependencies: {
  readonly reconciler: Reconciler | undefined;
  readonly logger: Logger;
}) {
  return {
    async runReconciliation(input: { trigger: string }): Promise<ReconciliationWorkflowResult> {
      const { reconciler, logger } = dependencies;
      if (!reconciler)
        throw new AppError('unavailable', 'this worker has no TRON node configured for reconciliation', {
          reason: 'reconciliation_unconfigured',
        });
      const report = await reconciler.run({ trigger: input.trigger });
      logger.info(
        {
          runId: report.runId.toString(),
          differences: report.differences,
          inFlight: report.inFlight,
          asOf: report.asOf,
          timingsMs: report.timingsMs,
        },
        report.differences === 0 ? 'reconciliation clean' : 'reconciliation found differences',
      );
      return {
        runId: report.runId.toString(),
        differences: report.differences,
        inFlight: report.inFlight,
        asOf: report.asOf,
        durationMs: Math.round(report.durationMs),
      };
    },
  };
}
