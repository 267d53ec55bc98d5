import { redact } from './redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  /** Receives one JSON line per entry (a file, the console, a test's array). */
  sink: (line: string) => void;
  now?: () => Date;
  minLevel?: LogLevel;
  fields?: Record<string, unknown>;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A JSON-lines logger that redacts every field it is given before writing it. */
export function createLogger(options: LoggerOptions): Logger {
  const { sink, now = () => new Date(), minLevel = 'info', fields: base = {} } = options;
  const write = (level: LogLevel, message: string, fields: Record<string, unknown> = {}): void => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const entry = redact({ ...base, ...fields }) as Record<string, unknown>;
    sink(JSON.stringify({ at: now().toISOString(), level, message, ...entry }));
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => createLogger({ sink, now, minLevel, fields: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (for tests that do not look at logs). */
export const silentLogger: Logger = createLogger({ sink: () => undefined });
