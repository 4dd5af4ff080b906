// The progress bar while a run reads (cli-progress): one bar, relabelled per step, on stderr so that --json output
// on stdout stays clean. Without a terminal it prints nothing.
import type { Writable } from 'node:stream';
import { Presets, SingleBar } from 'cli-progress';
import type { ProgressEvent } from '@cardgate/reconciliation';

export function createProgress(stream: Writable & { isTTY?: boolean }) {
  const bar = new SingleBar(
    {
      stream,
      format: '{step} [{bar}] {value}/{total}',
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    Presets.shades_classic,
  );
  let started = false;
  let step = '';
  return {
    update(event: ProgressEvent): void {
      if (!started) {
        bar.start(Math.max(event.total, 1), event.done, { step: event.step });
        started = true;
      } else if (event.step !== step) bar.setTotal(Math.max(event.total, 1));
      step = event.step;
      bar.update(event.done, { step: event.step });
    },
    stop(): void {
      if (started) bar.stop();
    },
  };
}
