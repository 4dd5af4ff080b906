// Fault injection (API.md, POST /stand-in/faults): what the next Bot API calls should suffer. Faults are not kept
// across restarts; blocked chats are state (a user's choice) and are.
import { z } from 'zod';

export interface StandInFaults {
  /** Every Bot API call waits this long before doing anything. */
  latencyMs: number;
  /** The next N sending calls answer 429 with `retryAfterSeconds`, without effect. */
  rateLimitNext: number;
  retryAfterSeconds: number;
  /** Per chat id: the next N sending calls to that chat answer 429, without effect. */
  rateLimitChats: Record<string, number>;
  /** The next N calls (getUpdates excepted) answer `failStatus`, without effect. */
  failNext: number;
  failStatus: number;
  /** A sending call is recorded, then its answer waits this long (a crash in that window leaves the bot unsure). */
  acceptedResponseDelayMs: number;
}

export function noFaults(): StandInFaults {
  return {
    latencyMs: 0,
    rateLimitNext: 0,
    retryAfterSeconds: 1,
    rateLimitChats: {},
    failNext: 0,
    failStatus: 500,
    acceptedResponseDelayMs: 0,
  };
}

const count = z.number().int().min(0).max(1_000_000);

export const faultsPatchSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  rateLimitNext: count.optional(),
  retryAfterSeconds: z.number().int().min(1).max(3_600).optional(),
  rateLimitChats: z.record(z.string().regex(/^-?[0-9]{1,20}$/), count).optional(),
  failNext: count.optional(),
  failStatus: z.number().int().min(500).max(599).optional(),
  acceptedResponseDelayMs: z.number().int().min(0).max(600_000).optional(),
});

export type FaultsPatch = z.infer<typeof faultsPatchSchema>;

export function applyFaults(faults: StandInFaults, patch: FaultsPatch): void {
  for (const [name, value] of Object.entries(patch))
    if (value !== undefined) Object.assign(faults, { [name]: value });
}
