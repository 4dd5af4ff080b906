// Starts one Cardgate process under Node 24 with its environment, prefixes its output, and waits for its health check.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { repositoryRoot, stopChild } from '@cardgate/local-stack';

export interface ServiceDefinition {
  readonly name: string;
  readonly entry: string;
  readonly healthUrl: string;
  readonly env: Readonly<Record<string, string>>;
  readonly onExit: (name: string, code: number | null) => void;
}

export interface RunningService {
  readonly name: string;
  readonly pid: number | undefined;
  readonly waitHealthy: (timeoutMs: number) => Promise<void>;
  readonly stop: () => Promise<void>;
}

export function startService(definition: ServiceDefinition): RunningService {
  const child = spawn(process.execPath, [definition.entry], {
    cwd: repositoryRoot,
    env: { ...process.env, ...definition.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${definition.name}] `;
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(prefix + line + '\n'));
  child.once('exit', (code) => definition.onExit(definition.name, code));
  return {
    name: definition.name,
    pid: child.pid,
    waitHealthy: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`${definition.name} exited with code ${child.exitCode}`);
        try {
          const response = await fetch(definition.healthUrl, { signal: AbortSignal.timeout(1_000) });
          if (response.ok) return;
        } catch {
          // not listening yet
        }
        await sleep(200);
      }
      throw new Error(`${definition.name} was not healthy at ${definition.healthUrl} within ${timeoutMs} ms`);
    },
    stop: () => stopChild(child, 15_000),
  };
}
