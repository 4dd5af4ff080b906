// Where `npm run dev` keeps its state, and the files that say what is running: `dev.pid` (the pid to signal, written
// first thing) and `dev.json` (the endpoints and the live child pids, written once everything answers and after every
// restart), so a second invocation can say what is already running and a run that was killed can be cleaned up after.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repositoryRoot, stateDirectory } from '@cardgate/local-stack';

/** `.cardgate/` of the checkout; CARDGATE_DEV_STATE_DIR moves it (tests run a whole `npm run dev` in a directory of their own). */
export const devStateDirectory = process.env.CARDGATE_DEV_STATE_DIR ?? stateDirectory;

export const devPaths = {
  pidFile: join(devStateDirectory, 'dev.pid'),
  stateFile: join(devStateDirectory, 'dev.json'),
  worldFile: join(devStateDirectory, 'world.json'),
  temporalDatabaseFile: join(devStateDirectory, 'temporal.sqlite'),
  temporalLogFile: join(devStateDirectory, 'temporal.log'),
  tronDevnetStateDirectory: join(devStateDirectory, 'tron-devnet'),
  cardSandboxStateDirectory: join(devStateDirectory, 'card-sandbox'),
  telegramStandInStateDirectory: join(devStateDirectory, 'telegram-bot-api'),
} as const;

/** A path as a developer in the repository's root would type it. */
export function shownPath(path: string): string {
  const fromRoot = relative(repositoryRoot, path);
  return fromRoot.startsWith('..') ? path : fromRoot;
}

export interface DevState {
  readonly pid: number;
  readonly startedAt: string;
  readonly childPids: readonly number[];
  /** The same pids by process name (`worker`, `temporal`, ...). */
  readonly processes: Readonly<Record<string, number>>;
  readonly endpoints: Readonly<Record<string, string>>;
}

export function readDevState(): DevState | undefined {
  try {
    return JSON.parse(readFileSync(devPaths.stateFile, 'utf8')) as DevState;
  } catch {
    return undefined;
  }
}

export function writeDevState(state: DevState): void {
  mkdirSync(devStateDirectory, { recursive: true });
  writeFileSync(devPaths.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

export function readDevPid(): number | undefined {
  try {
    const pid = Number(readFileSync(devPaths.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function writeDevPid(pid: number): void {
  mkdirSync(devStateDirectory, { recursive: true });
  writeFileSync(devPaths.pidFile, `${pid}\n`);
}

export function removeDevState(): void {
  rmSync(devPaths.stateFile, { force: true });
  rmSync(devPaths.pidFile, { force: true });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
