// Proves the logging contract: every line carries the service and the active request/workflow id without call
// sites passing it, secrets under known field names are redacted, and bigint amounts serialise as strings.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger, runWithLogContext } from './logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', destination }) };
}

describe('createLogger', () => {
  it('adds the context id to lines written inside runWithLogContext, including after an await', async () => {
    const { lines, logger } = capture();
    await runWithLogContext({ workflowId: 'deposit-abc-0' }, async () => {
      await Promise.resolve();
      logger.info('inside');
    });
    logger.info('outside');
    expect(lines[0]).toMatchObject({ service: 'test', workflowId: 'deposit-abc-0', msg: 'inside' });
    expect(lines[1]?.workflowId).toBeUndefined();
  });

  it('redacts secrets and serialises bigint', () => {
    const { lines, logger } = capture();
    logger.info(
      { config: { mnemonic: 'abandon abandon about', botToken: '123:abc' }, amountMinor: 10_000_000n },
      'x',
    );
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain('abandon');
    expect(line).not.toContain('123:abc');
    expect(lines[0]?.amountMinor).toBe('10000000');
  });
});
