// Proves the Temporal SDK's logger writes through pino: each SDK level becomes the pino level of that name, lines
// below the minimum are dropped, the SDK's metadata sits under `temporal`, and an error in it is written as `err`
// with its stack.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { createTemporalLogger } from './temporal-logger.ts';

function capture(): { lines: Record<string, unknown>[]; sink: Writable } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => (
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>),
      done()
    ),
  });
  return { lines, sink };
}

describe('Temporal logger over pino', () => {
  it('maps levels, keeps the minimum, and nests metadata', () => {
    const { lines, sink } = capture();
    const logger = createTemporalLogger(
      createLogger({ service: 'worker', level: 'trace', destination: sink }),
      {
        levelMin: 'INFO',
      },
    );
    logger.debug('dropped');
    logger.info('worker state changed', { state: 'RUNNING', sdkComponent: 'worker' });
    logger.log('WARN', 'gRPC call retried', { sdkComponent: 'core', attempts: 6n });
    logger.error('failed');
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [30, 'worker state changed'],
      [40, 'gRPC call retried'],
      [50, 'failed'],
    ]);
    expect(lines[0]).toMatchObject({
      service: 'worker',
      temporal: { state: 'RUNNING', sdkComponent: 'worker' },
    });
    expect(lines[1]).toMatchObject({ temporal: { sdkComponent: 'core', attempts: '6' } });
  });

  it('writes an error as err with its stack, WARN and up by default', () => {
    const { lines, sink } = capture();
    const logger = createTemporalLogger(
      createLogger({ service: 'worker', level: 'trace', destination: sink }),
    );
    logger.info('dropped at the default minimum');
    logger.warn('activity failed', { error: new Error('boom'), activityType: 'creditDeposit' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'activity failed', temporal: { activityType: 'creditDeposit' } });
    expect((lines[0]!.err as { message: string; stack: string }).message).toBe('boom');
    expect((lines[0]!.err as { stack: string }).stack).toContain('Error: boom');
  });
});
