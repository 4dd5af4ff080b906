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
  },
});
