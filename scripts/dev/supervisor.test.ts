// Proves the supervisor with real child processes: one killed with SIGKILL is started again with the same
// environment and said so in one line; one that keeps crashing is restarted with a doubling delay until its budget is
// spent, and then one line says it keeps crashing and everything is asked to stop, once; a stop ends the process and
// no restart follows.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from './state.ts';
import { startNodeProcess } from './services.ts';
import { superviseProcess, type SupervisedProcess } from './supervisor.ts';

const directory = mkdtempSync(join(tmpdir(), 'cardgate-supervisor-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const stays = join(directory, 'stays.mjs');
writeFileSync(
  stays,
  'console.log(`up ${process.pid} ${process.env.MARK}`); setInterval(() => undefined, 1000);\n',
);
const crashes = join(directory, 'crashes.mjs');
writeFileSync(
  crashes,
  'console.log(`up ${process.pid} ${process.env.MARK}`); setTimeout(() => process.exit(3), 50);\n',
);

const fastPolicy = { delayMsMin: 20, delayMsMax: 100, crashesMax: 5, windowMs: 60_000 };

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

function supervised(entry: string, lines: string[], onGiveUp: () => void): SupervisedProcess {
  return superviseProcess(
    {
      name: 'probe',
      start: () =>
        Promise.resolve(
          startNodeProcess({
            name: 'probe',
            entry,
            env: { MARK: 'same-environment' },
            write: (line) => void lines.push(line),
          }),
        ),
      // Ready once this instance has said it is up; an instance that exits first never is.
      waitReady: async (handle) => {
        let exited = false;
        void handle.exited.then(() => (exited = true));
        await until(() => exited || lines.includes(`[probe] up ${handle.pid} same-environment`), 10_000);
        if (exited) throw new Error('exited before it was up');
      },
    },
    { say: (line) => void lines.push(`[dev] ${line}`), onGiveUp, policy: fastPolicy },
  );
}

describe('supervisor', () => {
  it('starts a process killed with SIGKILL again, with the same environment', async () => {
    const lines: string[] = [];
    let gaveUp = 0;
    const probe = supervised(stays, lines, () => (gaveUp += 1));
    await probe.ready;
    await until(() => lines.some((line) => line.startsWith('[probe] up')), 10_000);
    const firstPid = probe.pid()!;
    process.kill(firstPid, 'SIGKILL');
    await until(() => lines.filter((line) => line.startsWith('[probe] up')).length === 2, 10_000);
    expect(lines).toContain('[dev] probe exited (signal SIGKILL); restarting in 0.02 s (restart 1)');
    expect(lines).toContain(`[probe] up ${probe.pid()} same-environment`);
    expect(probe.pid()).not.toBe(firstPid);

    const secondPid = probe.pid()!;
    await probe.stop();
    await sleep(200);
    expect(isProcessAlive(secondPid)).toBe(false);
    expect(lines.filter((line) => line.startsWith('[probe] up'))).toHaveLength(2);
    expect(gaveUp).toBe(0);
  });

  it('gives up, in one line, when a process keeps crashing', async () => {
    const lines: string[] = [];
    let gaveUp = 0;
    const probe = supervised(crashes, lines, () => (gaveUp += 1));
    await probe.ready;
    await until(() => gaveUp > 0, 10_000);
    await sleep(300);
    // Each restarted instance came up before it crashed again, and said so.
    expect(lines.filter((line) => line.startsWith('[dev] probe is running again (pid '))).toHaveLength(5);
    const said = lines.filter((line) => line.startsWith('[dev] ') && !line.includes('is running again'));
    expect(said).toEqual([
      '[dev] probe exited (code 3); restarting in 0.02 s (restart 1)',
      '[dev] probe exited (code 3); restarting in 0.04 s (restart 2)',
      '[dev] probe exited (code 3); restarting in 0.08 s (restart 3)',
      '[dev] probe exited (code 3); restarting in 0.1 s (restart 4)',
      '[dev] probe exited (code 3); restarting in 0.1 s (restart 5)',
      '[dev] probe exited (code 3), crash 6 within 60 s; it keeps crashing, stopping everything',
    ]);
    expect(gaveUp).toBe(1);
    await probe.stop();
  });
});
