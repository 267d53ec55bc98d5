/**
 * The standalone backend (`npm run backend`) as its own process, as a provider's remote backend
 * would be: for the fault suite and the remote-backend e2e spec.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve(import.meta.dirname, '../../electron/backend/cli.ts');

export interface BackendProcess {
  child: ChildProcess;
  /** Where it listens, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Kills it (SIGKILL unless told otherwise) and resolves once it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Resolves once the process has exited (at once if it already has). */
export const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

/**
 * Starts `electron/backend/cli.ts` with these arguments (besides `--data-dir` and `--port`) and
 * PASSDESK_ADMIN_TOKEN = `adminToken`, and resolves with its URL once it listens.
 */
export async function startBackendProcess(options: {
  dataDir: string;
  port?: number;
  adminToken: string;
  args?: string[];
}): Promise<BackendProcess> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      '--data-dir',
      options.dataDir,
      '--port',
      String(options.port ?? 0),
      ...(options.args ?? []),
    ],
    {
      env: { ...process.env, PASSDESK_ADMIN_TOKEN: options.adminToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /URL:\s+(http:\/\/127\.0\.0\.1:\d+)/u.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the backend exited (${code}): ${err}`)));
  });
  return {
    child,
    url,
    async stop(signal = 'SIGKILL') {
      child.kill(signal);
      await exited(child);
    },
  };
}
