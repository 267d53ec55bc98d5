import type { App } from 'electron';
import type { Logger } from '../../shared/log/index.ts';

/**
 * Last-resort handlers: log (redacted) what escaped, so a crash report never carries a secret,
 * and tell the operator (`onError`) that something went wrong, without its details.
 */
export function installGlobalErrorHandlers(
  app: Pick<App, 'on'>,
  logger: Logger,
  onError: (message: string) => void = () => undefined,
  proc: Pick<NodeJS.Process, 'on'> = process,
): void {
  const tell = () =>
    onError(
      'PassDesk hit an unexpected error. It is written to its log (main.log in the logs folder); if something looks wrong, restart PassDesk.',
    );
  proc.on('uncaughtException', (error) => {
    logger.error('uncaught exception', { error });
    tell();
  });
  proc.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection', { reason });
    tell();
  });
  app.on('render-process-gone', (_event, _contents, details) =>
    logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode }),
  );
  app.on('child-process-gone', (_event, details) =>
    logger.error('child process gone', { type: details.type, reason: details.reason }),
  );
}
