// Proves the worker's card provider readiness check asks the provider: ok while the card sandbox runs (its 404 for the
// probe card is an answer), failing when the sandbox refuses the API key, and failing once the sandbox is stopped,
// within the check's timeout.
import { describe, expect, it } from 'vitest';
import { createHttpCardProvider } from '@cardgate/card-provider';
import { startCardSandbox } from '@cardgate/card-sandbox';
import { healthCheckTimeoutMs, runHealthChecks } from '@cardgate/health';
import { cardProviderHealthCheck } from './readiness.ts';

const apiKey = 'readiness-test-key';
const webhookSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('card provider readiness', () => {
  it('is ok while the provider answers, failing on a refused key and once it is stopped', async () => {
    const sandbox = await startCardSandbox({ port: 0, apiKey, webhookSecret });
    const provider = (key: string) =>
      createHttpCardProvider({ baseUrl: sandbox.url, apiKey: key, timeoutMs: 1_000 });
    try {
      const up = await runHealthChecks({ cardProvider: cardProviderHealthCheck(provider(apiKey)) });
      expect(up.cardProvider).toBe('ok');
      const refused = await runHealthChecks({ cardProvider: cardProviderHealthCheck(provider('wrong-key')) });
      expect(refused.cardProvider).toMatch(/^failing: /);
    } finally {
      await sandbox.close();
    }
    const startedAt = Date.now();
    const down = await runHealthChecks({ cardProvider: cardProviderHealthCheck(provider(apiKey)) });
    expect(down.cardProvider).toMatch(/^failing: /);
    expect(Date.now() - startedAt).toBeLessThan(healthCheckTimeoutMs + 1_000);
  });
});
