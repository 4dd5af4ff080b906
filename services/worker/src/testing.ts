// For tests: a real worker on the harness's Temporal server, on a task queue of its own, with a client beside it.
// The worker polls only while `run` is in progress, and everything is closed afterwards, in the order Temporal needs
// (the native connection only after the worker has stopped).
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createLogger, type Logger } from '@cardgate/config';
import type { DatabasePool } from '@cardgate/db';
import { harnessContext, testTaskQueue } from '@cardgate/test-harness';
import { createActivities } from './activities/index.ts';
import { createWorker } from './worker.ts';

export interface TestWorkerContext {
  readonly client: Client;
  readonly taskQueue: string;
}

export async function withTestWorker<T>(
  options: { pool: DatabasePool; logger?: Logger; label?: string },
  run: (context: TestWorkerContext) => Promise<T>,
): Promise<T> {
  const { temporalAddress, temporalNamespace } = harnessContext();
  const taskQueue = testTaskQueue(options.label ?? 'worker');
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const worker = await createWorker({
      connection: nativeConnection,
      namespace: temporalNamespace,
      taskQueue,
      activities: createActivities({
        pool: options.pool,
        logger: options.logger ?? createLogger({ service: 'worker-test', level: 'silent' }),
      }),
    });
    const client = new Client({ connection, namespace: temporalNamespace });
    return await worker.runUntil(run({ client, taskQueue }));
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}
