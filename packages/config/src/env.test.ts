// Proves the environment contract: values are parsed and defaulted once, a missing or malformed variable is named in
// one line (and ends a process with exit code 78), and secrets never appear in printed configuration.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError, envPort, envPostgresUrl, parseEnv, redactConfig } from './env.ts';

const shape = {
  DATABASE_URL: envPostgresUrl,
  API_PORT: envPort.default(8787),
  BOT_TOKEN: z.string().min(10),
};

describe('parseEnv', () => {
  it('parses, coerces and defaults', () => {
    const parsed = parseEnv(shape, { DATABASE_URL: 'postgres://x@h/db', BOT_TOKEN: '1234567890:abc' });
    expect(parsed).toEqual({
      DATABASE_URL: 'postgres://x@h/db',
      API_PORT: 8787,
      BOT_TOKEN: '1234567890:abc',
    });
  });

  it('names a missing variable', () => {
    expect(() => parseEnv(shape, { BOT_TOKEN: '1234567890:abc' })).toThrow(
      'config: DATABASE_URL: is required',
    );
  });

  it('treats an empty value as missing', () => {
    expect(() => parseEnv(shape, { DATABASE_URL: '', BOT_TOKEN: '1234567890:abc' })).toThrow(ConfigError);
  });

  it('names a malformed variable', () => {
    const attempt = () =>
      parseEnv(shape, { DATABASE_URL: 'postgres://x@h/db', API_PORT: '99999', BOT_TOKEN: 'x'.repeat(12) });
    expect(attempt).toThrow(/^config: API_PORT: /);
  });
});

describe('redactConfig', () => {
  it('hides secret-named values and URL passwords', () => {
    const redacted = redactConfig({
      BOT_TOKEN: '1234567890:abc',
      TRON_MNEMONIC: 'abandon abandon',
      DATABASE_URL: 'postgres://user:hunter2@db/cardgate',
      API_PORT: 8787,
    });
    expect(JSON.stringify(redacted)).not.toMatch(/hunter2|abandon|1234567890/);
    expect(redacted.API_PORT).toBe(8787);
    expect(redacted.DATABASE_URL).toBe('postgres://user:[redacted]@db/cardgate');
  });
});

describe('loadEnvOrExit', () => {
  it('stops the process with exit code 78 and one line naming the variable', () => {
    const script = `import { loadEnvOrExit, envPostgresUrl } from ${JSON.stringify(fileURLToPath(new URL('./env.ts', import.meta.url)))};
      loadEnvOrExit({ DATABASE_URL: envPostgresUrl }, {}); console.log('not reached');`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual(['config: DATABASE_URL: is required']);
  });
});
