// The state file of a running `npm run dev`, so a second invocation can say what is already running.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDirectory } from '@cardgate/local-stack';

export interface DevState {
  readonly pid: number;
  readonly startedAt: string;
  readonly childPids: readonly number[];
  readonly endpoints: Readonly<Record<string, string>>;
}

const stateFile = join(stateDirectory, 'dev.json');

export function readDevState(): DevState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as DevState;
  } catch {
    return undefined;
  }
}

export function writeDevState(state: DevState): void {
  mkdirSync(stateDirectory, { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

export function removeDevState(): void {
  rmSync(stateFile, { force: true });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
