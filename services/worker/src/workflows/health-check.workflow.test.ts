// Proves the Temporal path on real servers: a workflow started through the client runs its activity on a worker
// connected to the real dev server, the activity writes to the real PostgreSQL and logs with the workflow id, and
// the history just recorded replays against the current code.
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { sql } from '@cardgate/db';
import { recordHistoryIfAsked, useTestDatabase } from '@cardgate/test-harness';
import { z } from 'zod';
import { Writable } from 'node:stream';
import { createLogger } from '@cardgate/config';
import { workflowsPath } from '../worker.ts';
import { withTestWorker } from '../testing.ts';
import { healthCheckWorkflow } from './health-check.workflow.ts';

const database = useTestDatabase();
const logLines: Record<string, unknown>[] = [];
const logSink = new Writable({
  write: (chunk: Buffer, _encoding, done) => {
    logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
    done();
  },
});

describe('healthCheckWorkflow', () => {
  it('runs its activity through the real Temporal server and writes the heartbeat row', async () => {
    const logger = createLogger({ service: 'worker-test', destination: logSink });
    await withTestWorker({ pool: database.pool, logger, label: 'health' }, async ({ client, taskQueue }) => {
      const workflowId = `health-check-${taskQueue}`;
      const result = await client.workflow.execute(healthCheckWorkflow, {
        taskQueue,
        workflowId,
        args: [{ service: 'harness' }],
      });
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
      await recordHistoryIfAsked(workflowId, 'health-check');
    });
  });
});
