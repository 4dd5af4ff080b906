// The smallest real flow: one activity through the worker, proving that the worker, the Temporal server and the
// database are wired together. `npm run dev` and the harness tests run it.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { shortActivity } from './timeouts.ts';

const { recordHeartbeat } = proxyActivities<Activities>(shortActivity);

export interface HealthCheckInput {
  readonly service: string;
}

export interface HealthCheckResult {
  readonly service: string;
  readonly beatAt: string;
}

export async function healthCheckWorkflow(input: HealthCheckInput): Promise<HealthCheckResult> {
  const beatAt = await recordHeartbeat(input.service);
  return { service: input.service, beatAt };
}
