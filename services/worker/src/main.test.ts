// Proves, on the real worker process, the two faults `npm run dev` showed: while the Temporal server is down its
// /health says temporal is failing (it said "ok" from the worker's own state), and the SDK's native core lines about
// the lost server reach stdout as JSON lines through pino, not as coloured text.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort, repositoryRoot, startTemporalDevServer } from '@cardgate/local-stack';
import { harnessContext, testRedisPrefix, useTestDatabase } from '@cardgate/test-harness';

const database = useTestDatabase();
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function temporalCheck(healthUrl: string): Promise<string | undefined> {
  const response = await fetch(healthUrl, { signal: AbortSignal.timeout(5_000) });
  return ((await response.json()) as { checks: Record<string, string> }).checks.temporal;
}

describe('worker process', () => {
  it('reports Temporal failing while it is down, and logs the SDK core through pino', async () => {
    const temporal = await startTemporalDevServer({});
    closers.push(() => temporal.stop());
    const healthPort = await findFreePort();
    const lines: string[] = [];
    const worker = spawn(process.execPath, ['services/worker/src/main.ts'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        REDIS_URL: harnessContext().redisUrl,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_TASK_QUEUE: `main-test-${healthPort}`,
        WORKER_HEALTH_PORT: String(healthPort),
        // Nothing listens there: the provider check fails, and this test reads only the temporal check.
        CARD_PROVIDER_URL: `http://127.0.0.1:${await findFreePort()}`,
        CARD_PROVIDER_API_KEY: 'unused',
        DEPOSIT_FEE_FIXED_USDT: '0.5',
        DEPOSIT_FEE_BPS: '100',
        DEPOSIT_REVIEW_BELOW_USDT: '5',
        CARD_ISSUE_FEE_USDT: '2',
        USDT_USD_RATE: '0.9995',
        FX_SPREAD_BPS: '150',
        CARD_LIMIT_PER_LOAD_USD: '500',
        CARD_LIMIT_DAILY_USD: '1000',
        CARD_LIMIT_MONTHLY_USD: '3000',
        CARD_BALANCE_MAX_USD: '1000',
        // No schedule left firing on the shared test server after the test.
        CARD_LOAD_SWEEP_EVERY: 'off',
        // Notifications and user events under prefixes of the test's own: never in the queue a local bot reads.
        NOTIFICATION_QUEUE_PREFIX: testRedisPrefix('queue'),
        USER_EVENTS_REDIS_PREFIX: testRedisPrefix('events'),
        LOG_LEVEL: 'info',
      },
    });
    closers.push(async () => worker.kill('SIGKILL'));
    for (const stream of [worker.stdout, worker.stderr])
      stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const healthUrl = `http://127.0.0.1:${healthPort}/health`;
    await until(
      'worker running',
      () => lines.some((line) => line.includes('"msg":"worker running"')),
      60_000,
    );
    expect(await temporalCheck(healthUrl)).toBe('ok');

    await temporal.stop();
    expect(await temporalCheck(healthUrl)).toMatch(/^failing: /);
    // The worker's polls retry; core says so at WARN after a few attempts.
    await until('a core line', () => lines.some((line) => line.includes('"sdkComponent":"core"')), 30_000);
    for (const line of lines) {
      expect(line).not.toContain('\u001b[');
      expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
  }, 90_000);
});
