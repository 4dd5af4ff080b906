// Where tests send their logs: to vitest's console capture, which files each line under the test that was running
// and, with `silent: 'passed-only'` (vitest.config.ts), prints a test's lines only when it fails. A green run stays
// short although the tests provoke hundreds of failures on purpose, and a red test still shows what led to it.
// Whatever is written straight to the process's stdout or stderr bypasses that capture and prints on every run:
// pino's default destination, Temporal's DefaultLogger, native Temporal core logs, a child process with inherited
// stdio. So test loggers, the Temporal runtime and spawned processes all write through `console` here.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { inspect } from 'node:util';
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import { createLogger, type Logger } from '@cardgate/config';

/** A pino destination: each JSON line goes to the capture of the test that is running. */
export const testLogDestination = {
  write(line: string): void {
    console.log(line.trimEnd());
  },
};

/** The logger a test hands to the code under test: every line at info and above, shown if the test fails. */
export function testLogger(service: string): Logger {
  return createLogger({ service, level: 'info', destination: testLogDestination });
}

/**
 * Temporal's runtime logger for a test process (installed once per process: the forks pool gives each test file its
 * own). One line per entry: a failing card flow test shows a few hundred `Activity failed` lines of the failures it
 * provokes, and at DefaultLogger's 47 lines each (the whole error with its stacks) they buried everything else.
 * The task token (an opaque base64 blob) is left out.
 */
export function temporalTestLogger(level: LogLevel): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
    const fields = Object.entries(entry.meta ?? {})
      .filter(([key, value]) => key !== 'taskToken' && value !== undefined)
      .map(([key, value]) => `${key}=${key === 'error' ? describeError(value) : inspectOneLine(value)}`);
    const line = [time, `[${entry.level}]`, entry.message, ...fields].join(' ');
    if (entry.level === 'ERROR' || entry.level === 'WARN') console.error(line);
    else console.log(line);
  });
}

const causeDepthMax = 5;

/** `Name: message` of the error and each of its causes, and where the innermost one was thrown. */
function describeError(error: unknown): string {
  const messages: string[] = [];
  let innermost: Error | undefined;
  let current = error;
  for (let depth = 0; depth < causeDepthMax && current instanceof Error; depth += 1) {
    messages.push(`${current.name}: ${current.message}`);
    innermost = current;
    current = current.cause;
  }
  if (!innermost) return inspectOneLine(error);
  const thrownAt = innermost.stack
    ?.split('\n')
    .find((line) => line.trimStart().startsWith('at '))
    ?.trim();
  return `${JSON.stringify(messages.join('; cause: '))}${thrownAt ? ` (${thrownAt})` : ''}`;
}

function inspectOneLine(value: unknown): string {
  return inspect(value, { breakLength: Infinity, compact: true, depth: 3, colors: false });
}

/**
 * Reads a child process's stdout and stderr line by line into the capture, each line prefixed with `name`, so a
 * failing test shows what its processes said. Spawn the child with `stdio: ['ignore', 'pipe', 'pipe']`; reading the
 * pipes continuously also keeps a chatty child from blocking on a full pipe.
 */
export function captureChildOutput<T extends ChildProcess>(child: T, name: string): T {
  for (const [stream, write] of [
    [child.stdout, (line: string) => console.log(line)],
    [child.stderr, (line: string) => console.error(line)],
  ] as const) {
    if (!stream)
      throw new Error(`${name}: spawn the child with piped stdout and stderr to capture its output`);
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => write(`[${name}] ${line}`));
  }
  return child;
}
