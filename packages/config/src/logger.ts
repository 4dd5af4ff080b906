// Structured logging with pino. Every line carries the service name and, when one is active, the request or
// workflow id: the id lives in an AsyncLocalStorage context that pino's mixin reads, so call sites never pass it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

export interface LogContext {
  readonly requestId?: string;
  readonly workflowId?: string;
  readonly [key: string]: string | undefined;
}

const logContextStorage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` attached to every log line written inside it (including async continuations). */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  const parent = logContextStorage.getStore() ?? {};
  return logContextStorage.run({ ...parent, ...context }, fn);
}

export function currentLogContext(): LogContext {
  return logContextStorage.getStore() ?? {};
}

/** Field paths whose values never reach a log line. */
export const redactedLogPaths: readonly string[] = [
  'mnemonic',
  '*.mnemonic',
  'privateKey',
  '*.privateKey',
  'botToken',
  '*.botToken',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'webhookSecret',
  '*.webhookSecret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'pan',
  '*.pan',
  'cvv',
  '*.cvv',
];

export interface CreateLoggerOptions {
  readonly service: string;
  readonly level?: LoggerOptions['level'];
  readonly destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const loggerOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    redact: { paths: [...redactedLogPaths], censor: '[redacted]' },
    mixin: () => ({ ...currentLogContext() }),
    // bigint is how money travels inside Cardgate; pino cannot serialise it by default.
    formatters: { log: (object) => bigintToString(object) as Record<string, unknown> },
  };
  return options.destination ? pino(loggerOptions, options.destination) : pino(loggerOptions);
}

function bigintToString(value: unknown, depth = 0): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (depth > 8 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => bigintToString(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = bigintToString(item, depth + 1);
  return copy;
}
