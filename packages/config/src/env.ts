// The one place in Cardgate that reads process.env. Each service declares a zod schema of the variables it needs;
// `parseEnv` checks them once at start-up, and `loadEnvOrExit` stops the process with one line naming the variable.
import { z } from 'zod';

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`config: ${variable}: ${problem}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Variable names that carry secrets: never printed, redacted from logs. */
const secretNamePattern = /(SECRET|TOKEN|MNEMONIC|PASSWORD|PRIVATE|XPUB|API_KEY)/i;

export function isSecretVariable(name: string): boolean {
  return secretNamePattern.test(name);
}

/** Parses `env` against `schema`; throws a ConfigError naming the first offending variable. */
export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: EnvSource,
): z.infer<z.ZodObject<Shape>> {
  // Empty strings count as unset, so `FOO= npm run dev` falls back to the default instead of failing oddly.
  const present: Record<string, string> = {};
  for (const name of Object.keys(shape)) {
    const value = env[name];
    if (value !== undefined && value !== '') present[name] = value;
  }
  const result = z.object(shape).safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  const problem =
    issue?.code === 'invalid_type' && present[variable] === undefined ? 'is required' : issue?.message;
  throw new ConfigError(variable, problem ?? 'is invalid');
}

/** Like parseEnv, but a bad environment ends the process with one line on stderr and exit code 78 (EX_CONFIG). */
export function loadEnvOrExit<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: EnvSource = process.env,
): z.infer<z.ZodObject<Shape>> {
  try {
    return parseEnv(shape, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

/** A copy of a parsed config with every secret-looking value replaced, for start-up banners and logs. */
export function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  const redacted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(config)) {
    if (isSecretVariable(name)) redacted[name] = '[redacted]';
    else if (typeof value === 'string' && /^[a-z]+:\/\/[^/]*:[^@/]*@/i.test(value))
      redacted[name] = value.replace(/(:\/\/[^:/]*:)[^@/]*@/, '$1[redacted]@');
    else redacted[name] = value;
  }
  return redacted;
}

// Reusable field schemas, so every service spells a port or URL the same way.
export const envPort = z.coerce.number().int().min(1).max(65535);
export const envUrl = z.url();
export const envPostgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL');
export const envRedisUrl = z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL');
export const envHostPort = z.string().regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port');
export const envLogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export const envHost = z.string().regex(/^[\w.:-]+$/, 'must be a host name or IP address');
