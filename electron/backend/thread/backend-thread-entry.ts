/**
 * The backend thread (see `startBackendThread`): starts the built-in backend with the options it
 * was given, tells the parent where it listens, sends its log entries up, and closes on 'close'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { redact, type Logger } from '../../../shared/log/index.ts';
import { startBackend } from '../index.ts';
import type { ThreadedBackendOptions } from './backend-thread.ts';
import type { ThreadMessage } from './thread-messages.ts';

const parent = parentPort;
if (parent === null) throw new Error('backend-thread-entry runs only as a worker thread');
const post = (message: ThreadMessage): void => parent.postMessage(message);

/**
 * A logger whose entries the parent's logger writes. Fields are redacted here already, so no
 * secret crosses to the parent, and what crosses is plain data (an error, its name and message).
 */
function parentLogger(base: Record<string, unknown> = {}): Logger {
  const entry =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>) =>
      post({
        type: 'log',
        level,
        message,
        fields: redact({ ...base, ...fields }) as Record<string, unknown>,
      });
  return {
    debug: entry('debug'),
    info: entry('info'),
    warn: entry('warn'),
    error: entry('error'),
    child: (fields) => parentLogger({ ...base, ...fields }),
  };
}

try {
  const backend = await startBackend({
    ...(workerData as ThreadedBackendOptions),
    logger: parentLogger(),
  });
  parent.on('message', (message: unknown) => {
    if (message !== 'close') return;
    void backend.close().finally(() => parent.close());
  });
  const { url, adminToken, publicBaseUrl, hashThreads } = backend;
  post({ type: 'ready', backend: { url, adminToken, publicBaseUrl, hashThreads } });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  parent.close();
}
