// Proves the test log routes end in `console`, the only output vitest files under a test (and so can hold back for a
// passing one and show for a failing one): a test logger's JSON lines, Temporal runtime entries (one line each,
// without the task token, with the error's cause chain), and each line a child process writes on stdout or stderr.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogTimestamp } from '@temporalio/worker';
import { captureChildOutput, temporalTestLogger, testLogger } from './test-logs.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('test logs', () => {
  it('writes a test logger’s lines through console.log', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    testLogger('logs-test').info({ amountMinor: 125n }, 'card loaded');
    testLogger('logs-test').debug('below the level');
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(log.mock.calls[0]?.[0]))).toMatchObject({
      service: 'logs-test',
      amountMinor: '125',
      msg: 'card loaded',
    });
  });

  it('writes a Temporal entry as one console line, without the task token, with the error’s causes', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const logger = temporalTestLogger('WARN');
    logger.info('Worker state changed', { state: 'RUNNING' });
    logger.warn('Activity failed', {
      [LogTimestamp]: 1_780_000_000_000_000_000n,
      activityType: 'loadAtProvider',
      taskToken: 'CiQwMWEyMzM5MS0wZDM4',
      error: new Error('503 from the provider', { cause: new Error('injected_failure') }),
    });
    expect(log).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledTimes(1);
    const line = String(error.mock.calls[0]?.[0]);
    expect(line).not.toContain('\n');
    expect(line).not.toContain('CiQwMWEyMzM5MS0wZDM4');
    expect(line).toMatch(
      /^2026-05-28T\S+Z \[WARN\] Activity failed activityType='loadAtProvider' error="Error: 503 from the provider; cause: Error: injected_failure" \(at .*test-logs\.test\.ts:\d+:\d+\)$/,
    );
  });

  it('forwards each line of a child process, tagged with its name', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const child = captureChildOutput(
      spawn(
        process.execPath,
        ['-e', "process.stdout.write('first\\nsecond\\n'); process.stderr.write('it went wrong\\n')"],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
      'child 1',
    );
    await new Promise((resolve) => child.once('close', resolve));
    expect(log.mock.calls).toEqual([['[child 1] first'], ['[child 1] second']]);
    expect(error.mock.calls).toEqual([['[child 1] it went wrong']]);
  });
});
