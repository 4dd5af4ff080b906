// Temporal for development and tests: TEMPORAL_ADDRESS when given; else the real Temporal dev server from the CLI,
// with its state in a SQLite file (development) or in memory (tests), and its web UI on when asked.
import { spawn, type SpawnOptions } from 'node:child_process';
import { openSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTemporalCli } from './temporal-cli.ts';
import { findFreePort, isPortOpen } from './net.ts';
import { stopChild } from './redis.ts';
import { stateDirectory } from './paths.ts';

export interface TemporalServer {
  readonly address: string;
  readonly namespace: string;
  readonly uiUrl?: string;
  readonly source: 'TEMPORAL_ADDRESS' | 'dev server';
  readonly pid?: number;
  /** Settles when the dev server's process exits (never for a server this process did not start). */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  readonly stop: () => Promise<void>;
}

export interface StartTemporalOptions {
  /** gRPC port; a free one when omitted. */
  readonly port?: number;
  /** Web UI port; no UI when omitted. */
  readonly uiPort?: number;
  /** SQLite file for persistent state; in memory when omitted. */
  readonly databaseFile?: string;
  readonly namespace?: string;
  readonly logFile?: string;
  readonly startTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /**
   * Runs the server at this nice level (1–19): the CPU goes to everything else first. For benchmarks on a small
   * machine, where the server stands in for a Temporal cluster on machines of its own.
   */
  readonly niceness?: number;
  /**
   * Starts the server in a process group of its own, so a Ctrl-C in the terminal reaches only the caller, which then
   * stops the server after the processes that use it (`npm run dev`).
   */
  readonly detached?: boolean;
}

export class PortInUseError extends Error {
  constructor(what: string, port: number, variable: string) {
    super(
      `${what}: port ${port} on 127.0.0.1 is already in use by another program; stop it, or set ${variable}`,
    );
    this.name = 'PortInUseError';
  }
}

export async function findOrStartTemporal(
  options: StartTemporalOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TemporalServer> {
  const namespace = env.TEMPORAL_NAMESPACE ?? options.namespace ?? 'default';
  if (env.TEMPORAL_ADDRESS)
    return {
      address: env.TEMPORAL_ADDRESS,
      namespace,
      source: 'TEMPORAL_ADDRESS',
      exited: new Promise(() => undefined),
      stop: async () => undefined,
    };
  return startTemporalDevServer({ ...options, namespace });
}

export async function startTemporalDevServer(options: StartTemporalOptions): Promise<TemporalServer> {
  const executable = ensureTemporalCli(options.log);
  const port = options.port ?? (await findFreePort());
  if (options.port !== undefined && (await isPortOpen(port)))
    throw new PortInUseError('Temporal', port, 'TEMPORAL_PORT');
  if (options.uiPort !== undefined && (await isPortOpen(options.uiPort)))
    throw new PortInUseError('Temporal UI', options.uiPort, 'TEMPORAL_UI_PORT');
  const namespace = options.namespace ?? 'default';
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
  ];
  if (options.uiPort !== undefined) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.databaseFile) args.push('--db-filename', options.databaseFile);
  // The HTTP API port defaults to port+1000 and metrics to a random one; pin both to free ports to avoid collisions.
  args.push('--http-port', String(await findFreePort()), '--metrics-port', String(await findFreePort()));
  mkdirSync(stateDirectory, { recursive: true });
  const logFile = options.logFile ?? join(stateDirectory, 'temporal-server.log');
  const output = openSync(logFile, 'a');
  const niceness = options.niceness;
  if (niceness !== undefined && !(Number.isInteger(niceness) && niceness >= 1 && niceness <= 19))
    throw new RangeError(`niceness must be an integer from 1 to 19, got ${niceness}`);
  // `nice` execs the server in its own place: the pid is the server's, and every thread it starts inherits the level.
  const spawnOptions: SpawnOptions = {
    stdio: ['ignore', output, output],
    detached: options.detached ?? false,
  };
  const child =
    niceness === undefined
      ? spawn(executable, args, spawnOptions)
      : spawn('nice', ['-n', String(niceness), executable, ...args], spawnOptions);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const address = `127.0.0.1:${port}`;
  try {
    await waitForTemporal(
      address,
      namespace,
      options.startTimeoutMs ?? 60_000,
      () => child.exitCode !== null,
    );
  } catch (error) {
    await stopChild(child);
    throw new Error(`Temporal dev server did not start (log: ${logFile}): ${(error as Error).message}`);
  }
  return {
    address,
    namespace,
    source: 'dev server',
    ...(child.pid === undefined ? {} : { pid: child.pid }),
    exited,
    ...(options.uiPort === undefined ? {} : { uiUrl: `http://127.0.0.1:${options.uiPort}` }),
    stop: () => stopChild(child, 10_000),
  };
}

/** Waits until the server answers and the namespace exists (the dev server creates it a moment after listening). */
export async function waitForTemporal(
  address: string,
  namespace: string,
  timeoutMs: number,
  hasExited: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the process exited');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await sleep(200);
    }
  }
  throw new Error(
    `no answer from ${address} within ${timeoutMs} ms: ${(lastError as Error | undefined)?.message ?? ''}`,
  );
}
