/** `electron/backend/cli.ts` run as its own process, for the tests of its flags and its start. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CLI = path.resolve(import.meta.dirname, '../../../electron/backend/cli.ts');

export interface CliRun {
  /** The exit code once it exited; null while it runs (it started and listens). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Where it listens, once it started. */
  url: string | null;
  dataDir: string;
  /** Stops it (SIGTERM) if it runs, and resolves once it has exited. */
  stop(): Promise<void>;
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

/**
 * Starts the CLI with `--data-dir` (a fresh folder unless given), `--test-hashing` and `args`,
 * its environment without any PASSDESK_* variable but those in `env`. Resolves once it listens
 * or has exited.
 */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; dataDir?: string } = {},
): Promise<CliRun> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'passdesk-cli-'));
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('PASSDESK_')),
  );
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, '--test-hashing', ...args], {
    env: { ...inherited, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: CliRun = {
    code: null,
    stdout: '',
    stderr: '',
    url: null,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited(child);
    },
  };
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      run.stdout += chunk.toString();
      const url = /URL:\s+(http:\/\/127\.0\.0\.1:\d+)/u.exec(run.stdout)?.[1];
      if (url !== undefined && run.stdout.includes('Email:') && run.url === null) {
        run.url = url;
        resolve(run);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    child.once('close', (code) => {
      run.code = code;
      resolve(run);
    });
  });
}
