import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/stand-ins/*/src/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'test/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    // Temporal's native worker has crashed inside worker threads (sdk-typescript issue 876): every file gets a process.
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['./test/harness/src/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    setupFiles: ['./test/harness/src/setup-file.ts'],
    reporters: ['default', './test/harness/src/summary-reporter.ts'],
    // A test's console output (where test loggers, the Temporal runtime and spawned processes write: see
    // test/harness/src/test-logs.ts) is printed only if the test fails; `--silent=false` shows it for every test.
    silent: 'passed-only',
  },
});
