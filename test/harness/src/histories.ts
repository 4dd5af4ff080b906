// Recorded workflow histories are the regression net for determinism: the worker's tests replay every file in
// services/worker/src/workflows/histories. `RECORD_WORKFLOW_HISTORIES=1 npm test` rewrites them from live runs
// after a deliberate workflow change. The CLI writes the same JSON that Temporal's UI exports.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ensureTemporalCli, repositoryRoot } from '@cardgate/local-stack';
import { harnessContext } from './index.ts';

export const historiesDirectory = fileURLToPath(
  new URL('services/worker/src/workflows/histories/', `file://${repositoryRoot}`),
);

export function isRecordingHistories(): boolean {
  return process.env.RECORD_WORKFLOW_HISTORIES === '1';
}

/** Saves the workflow's history as `<name>.json` when recording is asked for; otherwise does nothing. */
export async function recordHistoryIfAsked(workflowId: string, name: string): Promise<void> {
  if (!isRecordingHistories()) return;
  await writeFile(`${historiesDirectory}${name}.json`, workflowHistoryJson(workflowId));
}

/** The workflow's history as the JSON Temporal's CLI and UI export (what the replay test reads). */
export function workflowHistoryJson(workflowId: string): Buffer {
  const { temporalAddress, temporalNamespace } = harnessContext();
  return execFileSync(ensureTemporalCli(), [
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
}
