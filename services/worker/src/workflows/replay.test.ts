// Proves determinism across code changes: every committed history of earlier workflow runs (one file per scenario
// in ./histories) replays against the current workflow code without a nondeterminism error. A change that would
// break running workflows fails here; guard it with patched() or record new histories deliberately. The workflow
// code is bundled once for all histories (bundling per history took most of the test's time on a loaded machine).
import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { workflowsPath } from '../worker.ts';

const historiesDirectory = new URL('./histories/', import.meta.url);

describe('recorded workflow histories', () => {
  it('replays every committed history of earlier workflow code without a determinism error', async () => {
    const files = (await readdir(historiesDirectory)).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    const histories = await Promise.all(
      files.map(async (name) => ({
        workflowId: name,
        history: JSON.parse(await readFile(new URL(name, historiesDirectory), 'utf8')) as unknown,
      })),
    );
    // One replay worker for all histories over one bundle: the workflow code is bundled once, not once per history
    // (22 bundles took 14 s on an idle machine and over the 30 s timeout on a loaded one).
    const workflowBundle = await bundleWorkflowCode({ workflowsPath });
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
      if (result.error) throw new Error(`${result.workflowId} does not replay`, { cause: result.error });
      replayed += 1;
    }
    expect(replayed).toBe(files.length);
  }, 120_000);
});
