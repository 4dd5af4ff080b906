// Fault injection settings (API.md, /admin/faults): what the next requests and webhook deliveries should suffer.
import { z } from 'zod';
import type { WebhookFaults } from './webhook-sender.ts';

export interface SandboxFaults extends WebhookFaults {
  /** Every /v1 response waits this long first. */
  latencyMs: number;
  /** The next N /v1 requests (simulate excepted) fail with `failStatus`, without effect. */
  failNext: number;
  failStatus: number;
  /** The next N loads take effect, then the connection is dropped without a response. */
  loseLoadResponseNext: number;
}

export function noFaults(): SandboxFaults {
  return {
    latencyMs: 0,
    failNext: 0,
    failStatus: 503,
    loseLoadResponseNext: 0,
    duplicateWebhooks: false,
    holdWebhooks: false,
    badSignatureNext: 0,
  };
}

const count = z.number().int().min(0).max(1_000_000);

/** A partial update: the fields given replace the current ones. */
export const faultsPatchSchema = z.object({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  failNext: count.optional(),
  failStatus: z.number().int().min(400).max(599).optional(),
  loseLoadResponseNext: count.optional(),
  duplicateWebhooks: z.boolean().optional(),
  holdWebhooks: z.boolean().optional(),
  badSignatureNext: count.optional(),
});

export type FaultsPatch = z.infer<typeof faultsPatchSchema>;

export function applyFaults(faults: SandboxFaults, patch: FaultsPatch): void {
  for (const [name, value] of Object.entries(patch)) {
    if (value !== undefined) Object.assign(faults, { [name]: value });
  }
}
