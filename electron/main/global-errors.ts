import type { App } from 'electron';
import type { Logger } from '../../shared/log/index.ts';

/**
 * Last-resort handlers: log (redacted) what escaped, so a crash report never carries a secret.
 */
export function installGlobalErrorHandlers(app: Pick<App, 'on'>, logger: Logger): void {
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { error }));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { reason }));
  app.on('render-process-gone', (_event, _contents, details) =>
    logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode }),
  );
  app.on('child-process-gone', (_event, details) =>
    logger.error('child process gone', { type: details.type, reason: details.reason }),
  );
}
