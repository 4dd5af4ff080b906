// A stand-in's main (the devnet, the card sandbox) run as a child process for tests that kill it (`kill -9`) and start
// it again: started on a free port, ready once its /health answers, its output kept (the last lines) for the error
// when it does not come up.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from './net.ts';
import { repositoryRoot } from './paths.ts';
import { stopChild } from './redis.ts';

const outputLinesKept = 40;

export interface StandInProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL, as a crash or `kill -9`: no shutdown code runs. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export interface StandInProcessOptions {
  /** The main's path from the repository root. */
  readonly entry: string;
  /** The environment variable that sets its port. */
  readonly portVariable: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
  readonly readyTimeoutMs?: number;
}

export async function startStandInProcess(options: StandInProcessOptions): Promise<StandInProcess> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [options.entry, ...(options.args ?? [])], {
    cwd: repositoryRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...options.env, [options.portVariable]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(...chunk.toString().split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - outputLinesKept));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.entry} exited early:\n${output.join('\n')}`);
    const healthy = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`${options.entry} did not answer /health:\n${output.join('\n')}`);
    }
    await sleep(100);
  }
  return {
    url,
    child,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
    stop: () => stopChild(child),
  };
}
