// Proves the Temporal path on real servers: a workflow started through the client runs its activity on a worker
// connected to the real dev server, the activity writes to the real PostgreSQL and logs with the workflow id, and
// recorded histories of the workflow still replay deterministically against the current code.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { ensureTemporalCli } from '@cardgate/local-stack';
import { describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { sql } from '@cardgate/db';
import { harnessContext, testTaskQueue, useTestDatabase } from '@cardgate/test-harness';
import { z } from 'zod';
import { Writable } from 'node:stream';
import { createLogger } from '@cardgate/config';
import { createActivities } from '../activities/index.ts';
import { createWorker, workflowsPath } from '../worker.ts';
import { healthCheckWorkflow } from './health-check.workflow.ts';

const database = useTestDatabase();
const logLines: Record<string, unknown>[] = [];
const logSink = new Writable({
  write: (chunk: Buffer, _encoding, done) => {
    logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
    done();
  },
});
const historiesDirectory = new URL('./histories/', import.meta.url);

describe('healthCheckWorkflow', () => {
  it('runs its activity through the real Temporal server and writes the heartbeat row', async () => {
    const { temporalAddress, temporalNamespace } = harnessContext();
    const taskQueue = testTaskQueue('health');
    const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    const worker = await createWorker({
      connection: nativeConnection,
      namespace: temporalNamespace,
      taskQueue,
      activities: createActivities({
        pool: database.pool,
        logger: createLogger({ service: 'worker-test', destination: logSink }),
      }),
    });
    const connection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection, namespace: temporalNamespace });
    try {
      const workflowId = `health-check-${taskQueue}`;
      const result = await worker.runUntil(
        client.workflow.execute(healthCheckWorkflow, {
          taskQueue,
          workflowId,
          args: [{ service: 'harness' }],
        }),
      );
      expect(result.service).toBe('harness');
      const stored = await database.pool.one(
        sql.type(
          z.object({ service: z.string() }),
        )`select service from service_heartbeat where service = 'harness'`,
      );
      expect(stored.service).toBe('harness');
      // The activity's log line names the workflow it ran for, without the activity passing the id.
      expect(logLines.find((line) => line.msg === 'heartbeat recorded')).toMatchObject({
        workflowId,
        activity: 'recordHeartbeat',
      });

      // A history recorded just now replays; a changed workflow that no longer matches it would throw here.
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      await Worker.runReplayHistory({ workflowsPath }, history, workflowId);
      // `RECORD_WORKFLOW_HISTORIES=1 npm test` refreshes the committed fixture after a deliberate workflow change.
      // The CLI writes the same JSON that Temporal's UI exports; the SDK's own historyToJSON fails here because
      // two protobufjs versions meet in node_modules.
      if (process.env.RECORD_WORKFLOW_HISTORIES === '1') {
        const json = execFileSync(ensureTemporalCli(), [
          'workflow',
          'show',
          '--workflow-id',
          workflowId,
          '--output',
          'json',
          '--address',
          temporalAddress,
          '--namespace',
          temporalNamespace,
        ]);
        await writeFile(new URL('health-check.json', historiesDirectory), json);
      }
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });

  it('replays every committed history of earlier workflow code without a determinism error', async () => {
    const files = (await readdir(historiesDirectory)).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const history: unknown = JSON.parse(await readFile(new URL(name, historiesDirectory), 'utf8'));
      await Worker.runReplayHistory({ workflowsPath }, history, name);
    }
  });
});
