// Runs in every test process before its test file. Temporal's runtime logs through the test capture (test-logs.ts):
// its warnings and errors, among them the `Activity failed` lines of failures the tests provoke on purpose, are shown
// only for a test that fails. Native core logs are forwarded to the same logger; left to core, they would be printed
// straight to stderr on every run. Warnings and errors only: INFO adds a dozen lines per worker that tell a reader
// of a failure nothing.
import { afterEach } from 'vitest';
import { Runtime, type Logger } from '@temporalio/worker';
import { temporalTestLogger } from './test-logs.ts';

Runtime.install({
  logger: temporalTestLogger('WARN'),
  telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
});

// Forwarded lines wait in the runtime's buffer for about 100 ms (to be sorted by time). Flushed while the test is
// still the running one, they are filed under the test that caused them, not the next.
afterEach(() => {
  // The runtime's logger is the SDK's forwarding collector, which has flush(); the Logger type does not say so.
  const logger: Logger & { flush?: () => void } = Runtime.instance().logger;
  logger.flush?.();
});
