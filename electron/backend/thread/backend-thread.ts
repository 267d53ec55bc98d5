import { Worker } from 'node:worker_threads';
import type { Logger } from '../../../shared/log/index.ts';
import type { BackendOptions, RunningBackend } from '../index.ts';
import type { ThreadMessage } from './thread-messages.ts';

/** What crosses to the thread: every option that is data (a clock or a logger is not). */
export type ThreadedBackendOptions = Omit<BackendOptions, 'clock' | 'logger'>;

/**
 * The thread's entry file, next to the module that asks: `backend-thread-entry.ts` beside this
 * file when it runs from source, `backend-thread-entry.js` beside out/main/index.js once built
 * (its own entry of the main build). As for the hashing worker (see `hashWorkerUrl`), the name
 * is a variable, so that Vite does not copy the source into the build as an asset.
 */
export function backendThreadUrl(moduleUrl: string = import.meta.url): URL {
  const ext = new URL(moduleUrl).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`backend-thread-entry${ext}`, moduleUrl);
}

/** How long a closing backend may take (its hashes in progress, its database) before it is ended. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The backend could not start: `failed` says whether the backend itself refused (its data
 * folder, say) or its thread could not run or stopped before it was asked to.
 */
export class BackendThreadError extends Error {
  override readonly name = 'BackendThreadError';
  readonly failed: 'backend' | 'thread';
  constructor(message: string, failed: 'backend' | 'thread') {
    super(message);
    this.failed = failed;
  }
}

/**
 * Runs the built-in backend on a thread of its own, so that its work (SQLite reads, answers of
 * thousands of users as JSON, its HTTP server) never holds up the caller's event loop: in the
 * app, main's answers to the window and its jobs go on while the backend serves a page, and the
 * two use two cores. It is reached over HTTP on 127.0.0.1, as in process; its log lines come
 * back to `logger`. Resolves once it listens; rejects with the reason it could not start.
 */
export function startBackendThread(
  options: ThreadedBackendOptions,
  logger: Logger,
  entry: URL = backendThreadUrl(),
): Promise<RunningBackend> {
  const worker = new Worker(entry, { workerData: options });
  let closing: Promise<void> | null = null;
  // Set once the thread has ended, for whatever reason: closing it then has nothing to wait for.
  let exited: Promise<void> | null = null;
  const exit = new Promise<void>((done) => worker.once('exit', () => done()));

  return new Promise<RunningBackend>((resolve, reject) => {
    let started = false;
    const fail = (error: Error): void => {
      if (!started) reject(error);
      else if (closing === null) logger.error('the built-in backend stopped', { error });
    };
    worker.on('message', (message: ThreadMessage) => {
      switch (message.type) {
        case 'log':
          logger[message.level](message.message, message.fields);
          break;
        case 'failed':
          fail(new BackendThreadError(message.message, 'backend'));
          break;
        case 'ready':
          started = true;
          resolve({
            ...message.backend,
            close: () =>
              (closing ??=
                exited ??
                new Promise<void>((done) => {
                  // A backend that does not finish closing in time is ended with its thread.
                  const stop = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
                  void exit.then(() => {
                    clearTimeout(stop);
                    done();
                  });
                  worker.postMessage('close');
                })),
          });
          break;
      }
    });
    worker.on('error', (error: Error) => fail(new BackendThreadError(error.message, 'thread')));
    worker.on('exit', (code) => {
      exited = Promise.resolve();
      if (closing === null)
        fail(new BackendThreadError(`its thread exited with code ${code}`, 'thread'));
    });
  });
}
