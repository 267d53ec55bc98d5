/**
 * Runs before `electron-vite dev` and `electron-vite preview` (`npm start`, `npm run preview`):
 * makes sure the Electron binary is installed, and installs it with Electron's own installer
 * when it is not.
 *
 * Why this exists: since Electron 42 the `electron` package has no install script; its binary is
 * downloaded on the first `require('electron')`. electron-vite never requires it — it only reads
 * `node_modules/electron/path.txt` — so on a fresh machine it stopped with "Electron uninstall".
 *
 * A failed installation ends with one line on stderr that says what is missing and what to do,
 * and exit code 1; the installer's stack trace stays out of the terminal (see `runInstaller`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

type Env = Record<string, string | undefined>;

export type ElectronState =
  | { installed: true; binary: string }
  | { installed: false; binary: string; source: 'exec-path' | 'override' | 'package' };

const require = createRequire(import.meta.url);

/** The executable's path inside a distribution folder, as Electron's installer names it. */
export function platformPath(env: Env, platform: string = process.platform): string | null {
  switch (env.ELECTRON_INSTALL_PLATFORM ?? env.npm_config_platform ?? platform) {
    case 'mas':
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'freebsd':
    case 'openbsd':
    case 'linux':
      return 'electron';
    case 'win32':
      return 'electron.exe';
    default:
      return null;
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * Whether the binary that will be started is there. Without overrides this is Electron's own
 * `isInstalled()`: `dist/version` is the package's version, `path.txt` names this platform's
 * executable, and that executable exists. Two variables move the binary elsewhere, and then only
 * its existence is checked, since the version of a build someone points at is their choice:
 * ELECTRON_EXEC_PATH (the executable electron-vite starts) and ELECTRON_OVERRIDE_DIST_PATH
 * (a distribution folder, as in Electron's own `index.js`).
 */
export function findElectron(
  packageDir: string,
  version: string,
  executable: string,
  env: Env,
): ElectronState {
  const execPath = env.ELECTRON_EXEC_PATH;
  if (isSet(execPath)) {
    return existsSync(execPath)
      ? { installed: true, binary: execPath }
      : { installed: false, binary: execPath, source: 'exec-path' };
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (isSet(override)) {
    const binary = path.join(override, executable);
    return existsSync(binary)
      ? { installed: true, binary }
      : { installed: false, binary, source: 'override' };
  }
  const dist = path.join(packageDir, 'dist');
  const binary = path.join(dist, executable);
  const installed =
    readText(path.join(dist, 'version'))?.replace(/^v/, '') === version &&
    readText(path.join(packageDir, 'path.txt')) === executable &&
    existsSync(binary);
  return installed ? { installed, binary } : { installed, binary, source: 'package' };
}

/**
 * Prepended to Electron's installer: its `console.error`, which it uses only to print the stack
 * of a failed download, writes the first line to fd 3 instead of the terminal, with the network
 * error behind a "fetch failed" (kept from the installer's fetch calls) so the reason is useful.
 */
const QUIET_FAILURE = `{
  // A block: an -e script's top-level names would shadow globals such as fetch everywhere.
  const { writeSync } = require('node:fs');
  const { format } = require('node:util');
  const originalFetch = globalThis.fetch;
  let cause = '';
  globalThis.fetch = (...args) =>
    originalFetch(...args).catch((error) => {
      cause = String(error?.cause?.message || error?.cause?.code || '');
      throw error;
    });
  console.error = (...args) => {
    const first = format(...args).split('\\n')[0];
    writeSync(3, cause === '' ? first : first + ': ' + cause);
  };
  try {
    require(process.argv[1]);
  } catch (error) {
    console.error(String(error));
    process.exit(1);
  }
}
`;

/**
 * Runs `electron/install.js` with its stdout and stderr on the terminal, so that its progress
 * shows, and its failure report on a pipe (see QUIET_FAILURE).
 */
function runInstaller(installer: string): { ok: true } | { ok: false; reason: string } {
  const result = spawnSync(
    process.execPath,
    ['--input-type=commonjs', '-e', QUIET_FAILURE, installer],
    { stdio: ['ignore', 'inherit', 'inherit', 'pipe'], encoding: 'utf8' },
  );
  if (result.error !== undefined) return { ok: false, reason: result.error.message };
  if (result.status === 0) return { ok: true };
  // "TypeError: fetch failed" → "fetch failed": the class name tells the user nothing.
  const reason = (result.output[3] ?? '').replace(/^[A-Za-z]*Error: /, '').trim();
  const exit = String(result.status ?? result.signal);
  return { ok: false, reason: reason !== '' ? reason : `the installer exited with ${exit}` };
}

/** The command to run again: `npm start`, or `npm run preview` when preview ran this. */
function rerunCommand(env: Env): string {
  const script = env.npm_lifecycle_event;
  return script === undefined || script === 'start' ? 'npm start' : `npm run ${script}`;
}

function main(env: Env): number {
  const packageDir = path.dirname(require.resolve('electron/package.json'));
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const needs = `PassDesk needs the Electron ${version} binary`;
  const again = `then run ${rerunCommand(env)} again.`;
  const fail = (line: string): number => {
    process.stderr.write(`${line}\n`);
    return 1;
  };

  const executable = platformPath(env);
  if (executable === null) {
    const platform = env.ELECTRON_INSTALL_PLATFORM ?? env.npm_config_platform ?? process.platform;
    return fail(`${needs}, which has no build for ${platform}: use Windows, macOS or Linux.`);
  }
  let state = findElectron(packageDir, version, executable, env);
  if (!state.installed && state.source === 'exec-path') {
    return fail(
      `${needs} at ELECTRON_EXEC_PATH=${state.binary}, which does not exist: fix or unset it, ${again}`,
    );
  }
  if (!state.installed) {
    console.log(`Installing the Electron ${version} binary (a download of about 100 MB, once)…`);
    const installed = runInstaller(require.resolve('electron/install.js'));
    if (!installed.ok) {
      return fail(
        `${needs}, and downloading it failed (${installed.reason}). Check the internet connection ` +
          `or proxy (HTTPS_PROXY with ELECTRON_GET_USE_PROXY=1; ELECTRON_MIRROR for a mirror), ${again}`,
      );
    }
    state = findElectron(packageDir, version, executable, env);
    if (!state.installed) {
      // Electron's installer fills node_modules/electron/dist; it never writes to an override.
      return fail(
        `${needs} at ${state.binary} (ELECTRON_OVERRIDE_DIST_PATH), and it is not there: ` +
          `put an Electron build there or unset ELECTRON_OVERRIDE_DIST_PATH, ${again}`,
      );
    }
    console.log(`Electron ${version} is installed.`);
  }
  if (isSet(env.ELECTRON_OVERRIDE_DIST_PATH) && !isSet(env.ELECTRON_EXEC_PATH)) {
    // electron-vite reads only ELECTRON_EXEC_PATH and path.txt, never the override.
    console.log(
      `To start this build with electron-vite, set ELECTRON_EXEC_PATH=${state.binary} too.`,
    );
  }
  return 0;
}

if (import.meta.main) process.exitCode = main(process.env);
