export { createLogger, silentLogger } from './logger.ts';
export type { Logger, LoggerOptions, LogLevel } from './logger.ts';
export { redact, REDACTED } from './redact.ts';
