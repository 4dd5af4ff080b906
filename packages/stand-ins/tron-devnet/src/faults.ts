// Faults on the node API (never on the admin API that tests use to steer the devnet): the next calls answer HTTP
// 429/5xx, every call waits, or (chain.stalledAt) the head stops advancing.
import type { Hono } from 'hono';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DevnetFaults {
  /** The next `count` node calls answer with `status`. */
  failNext?: { status: 429 | 500 | 502 | 503; count: number };
  latencyMs?: number;
}

export function addFaultMiddleware(app: Hono, faults: DevnetFaults): void {
  app.use('/wallet/*', async (context, next) => {
    if (faults.latencyMs) await sleep(faults.latencyMs);
    if (faults.failNext && faults.failNext.count > 0) {
      faults.failNext.count -= 1;
      const status = faults.failNext.status;
      return context.json(
        { Error: `injected ${status}` },
        status,
        status === 429 ? { 'retry-after': '1' } : {},
      );
    }
    await next();
  });
  app.use('/walletsolidity/*', async (context, next) => {
    if (faults.latencyMs) await sleep(faults.latencyMs);
    await next();
  });
}
