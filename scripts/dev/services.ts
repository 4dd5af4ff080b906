// Starts one Cardgate process under Node 24 with its environment and prefixes its output; waits for its health check.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { repositoryRoot, stopChild } from '@cardgate/local-stack';
import type { ExitStatus, ProcessHandle } from './supervisor.ts';

export interface NodeProcessDefinition {
  readonly name: string;
  /** The script's path from the repository root. */
  readonly entry: string;
  readonly env: Readonly<Record<string, string>>;
  readonly write: (line: string) => void;
  /** Options for Node itself, before the script (V8 flags such as --max-semi-space-size). */
  readonly nodeArguments?: readonly string[];
  /**
   * A process group of its own (the default): a Ctrl-C in the terminal reaches only `npm run dev`, which stops the
   * services first and the servers they use after them, instead of everything at once.
   */
  readonly detached?: boolean;
}

const stopGraceMs = 15_000;

export function startNodeProcess(definition: NodeProcessDefinition): ProcessHandle {
  const child = spawn(process.execPath, [...(definition.nodeArguments ?? []), definition.entry], {
    cwd: repositoryRoot,
    env: { ...process.env, ...definition.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: definition.detached ?? true,
  });
  const prefix = `[${definition.name}] `;
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (line) => definition.write(prefix + line));
  const exited = new Promise<ExitStatus>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    pid: child.pid,
    exited,
    stop: () => stopChild(child, stopGraceMs),
    kill: () => void child.kill('SIGKILL'),
  };
}

/** Polls the health URL until it answers 200; rejects when the process exits first or the time is up. */
export async function waitHealthy(
  name: string,
  healthUrl: string,
  handle: ProcessHandle,
  timeoutMs: number,
): Promise<void> {
  let exit: ExitStatus | undefined;
  void handle.exited.then((status) => (exit = status));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`${name} exited (code ${String(exit.code)}, signal ${String(exit.signal)})`);
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(3_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${name} was not healthy at ${healthUrl} within ${timeoutMs} ms`);
}

export interface ServiceDefinition {
  readonly name: string;
  readonly entry: string;
  readonly healthUrl: string;
  readonly env: Readonly<Record<string, string>>;
  readonly nodeArguments?: readonly string[];
  readonly onExit: (name: string, code: number | null) => void;
}

export interface RunningService {
  readonly name: string;
  readonly pid: number | undefined;
  readonly waitHealthy: (timeoutMs: number) => Promise<void>;
  readonly stop: () => Promise<void>;
}

/** One unsupervised process in the terminal's process group (the benchmarks: any exit ends the run). */
export function startService(definition: ServiceDefinition): RunningService {
  const handle = startNodeProcess({
    name: definition.name,
    entry: definition.entry,
    env: definition.env,
    ...(definition.nodeArguments ? { nodeArguments: definition.nodeArguments } : {}),
    write: (line) => void process.stdout.write(`${line}\n`),
    detached: false,
  });
  void handle.exited.then((status) => definition.onExit(definition.name, status.code));
  return {
    name: definition.name,
    pid: handle.pid,
    waitHealthy: (timeoutMs) => waitHealthy(definition.name, definition.healthUrl, handle, timeoutMs),
    stop: handle.stop,
  };
}
