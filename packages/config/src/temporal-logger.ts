// The Temporal SDK's logger interface (Runtime.install's `logger`) over a process's pino logger, so the SDK's lines,
// and with `telemetryOptions.logging.forward` the native core's too, are JSON lines like every other line instead of
// coloured text. Written against the interface's shape, so this package does not depend on the SDK.
import type { Logger } from 'pino';

export type TemporalLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export type TemporalLogMetadata = Record<string | symbol, unknown>;

/** The shape of `@temporalio/common`'s Logger. */
export interface TemporalLogger {
  log(level: TemporalLogLevel, message: string, meta?: TemporalLogMetadata): void;
  trace(message: string, meta?: TemporalLogMetadata): void;
  debug(message: string, meta?: TemporalLogMetadata): void;
  info(message: string, meta?: TemporalLogMetadata): void;
  warn(message: string, meta?: TemporalLogMetadata): void;
  error(message: string, meta?: TemporalLogMetadata): void;
}

const pinoMethodByLevel = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
} as const satisfies Record<TemporalLogLevel, string>;

const levelOrder: Record<TemporalLogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

export interface TemporalLoggerOptions {
  /** SDK lines below this level are dropped (the SDK's INFO lines narrate every worker start and stop). */
  readonly levelMin?: TemporalLogLevel;
}

export function createTemporalLogger(logger: Logger, options: TemporalLoggerOptions = {}): TemporalLogger {
  const levelMin = levelOrder[options.levelMin ?? 'WARN'];
  const log = (level: TemporalLogLevel, message: string, meta?: TemporalLogMetadata): void => {
    if (levelOrder[level] < levelMin) return;
    logger[pinoMethodByLevel[level]](temporalFields(meta), message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/** The SDK's metadata under `temporal`, with an error lifted to `err` where pino's serializer writes its stack. */
function temporalFields(meta: TemporalLogMetadata | undefined): Record<string, unknown> {
  if (!meta) return {};
  const fields: Record<string, unknown> = {};
  const temporal: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if ((key === 'error' || key === 'err' || key === 'failure') && value instanceof Error) fields.err = value;
    else temporal[key] = value;
  }
  if (Object.keys(temporal).length > 0) fields.temporal = temporal;
  return fields;
}
