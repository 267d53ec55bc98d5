import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findElectron, platformPath } from '../../scripts/ensure-electron.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/ensure-electron.ts');
const ELECTRON = path.join(ROOT, 'node_modules/electron');
const { version } = JSON.parse(readFileSync(path.join(ELECTRON, 'package.json'), 'utf8')) as {
  version: string;
};
const EXECUTABLE = platformPath({}) ?? 'electron';

/** A port nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The caller's environment without anything that could point the installer at a real mirror,
 * cache or proxy (an .npmrc `electron_mirror` arrives as npm_config_electron_mirror and wins over
 * ELECTRON_MIRROR), plus the given variables.
 */
function isolatedEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(electron_|npm_config_electron_|npm_package_config_electron_)/i.test(key)) continue;
    if (/^(https?_proxy|all_proxy|node_use_env_proxy|force_no_cache|npm_)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function run(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [SCRIPT], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What the real node_modules/electron holds; no test here may change it. */
function electronPackageState() {
  const dist = path.join(ELECTRON, 'dist');
  const pathTxt = path.join(ELECTRON, 'path.txt');
  return {
    dist: existsSync(dist) ? readdirSync(dist).sort() : null,
    pathTxt: existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8') : null,
  };
}

describe('scripts/ensure-electron.ts', () => {
  let temp: string;
  let before: ReturnType<typeof electronPackageState>;
  beforeEach(() => {
    temp = mkdtempSync(path.join(tmpdir(), 'passdesk-ensure-electron-'));
    before = electronPackageState();
  });
  afterEach(() => {
    rmSync(temp, { recursive: true, force: true });
    expect(electronPackageState()).toEqual(before);
  });

  it('fails with one clear line, and no stack trace, when the download fails', async () => {
    // An empty override makes the binary "missing" on any machine; the dead mirror and the
    // empty cache make the download fail, so nothing can reach node_modules/electron/dist.
    const cache = path.join(temp, 'cache');
    mkdirSync(cache);
    const { status, stdout, stderr } = run(
      isolatedEnv({
        ELECTRON_OVERRIDE_DIST_PATH: path.join(temp, 'empty-dist'),
        ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
        electron_config_cache: cache,
      }),
    );
    expect(status).not.toBe(0);
    expect(status).not.toBeNull();
    const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    const [line] = lines as [string];
    expect(line).toContain(`Electron ${version}`);
    expect(line).toMatch(/then run npm start again\.$/);
    // Either the download failed here, or (where Electron is installed in node_modules) the
    // installer had nothing to do and the override is what is missing.
    expect(line).toMatch(/downloading it failed \(.+\)|unset ELECTRON_OVERRIDE_DIST_PATH/);
    expect(`${stdout}\n${stderr}`).not.toMatch(/^\s+at /m);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('exits 0 without downloading when the binary is there', () => {
    const dist = path.join(temp, 'dist');
    mkdirSync(path.dirname(path.join(dist, EXECUTABLE)), { recursive: true });
    writeFileSync(path.join(dist, EXECUTABLE), '');
    const cache = path.join(temp, 'cache');
    mkdirSync(cache);
    const { status, stdout, stderr } = run(
      isolatedEnv({
        ELECTRON_OVERRIDE_DIST_PATH: dist,
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        electron_config_cache: cache,
      }),
    );
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).not.toContain('Installing');
    expect(readdirSync(cache)).toEqual([]);
  });

  it('names ELECTRON_EXEC_PATH in one line when it points at nothing', () => {
    const missing = path.join(temp, 'no-such-electron');
    const { status, stderr } = run(isolatedEnv({ ELECTRON_EXEC_PATH: missing }));
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `PassDesk needs the Electron ${version} binary at ELECTRON_EXEC_PATH=${missing}, which does not exist: fix or unset it, then run npm start again.`,
    ]);
  });

  it("checks a package folder the way Electron's installer does", () => {
    const pkg = path.join(temp, 'electron');
    const binary = path.join(pkg, 'dist', EXECUTABLE);
    mkdirSync(path.dirname(binary), { recursive: true });
    const state = () => findElectron(pkg, version, EXECUTABLE, {}).installed;
    expect(state()).toBe(false);
    writeFileSync(binary, '');
    writeFileSync(path.join(pkg, 'path.txt'), EXECUTABLE);
    writeFileSync(path.join(pkg, 'dist', 'version'), '44.0.0');
    expect(state()).toBe(false);
    writeFileSync(path.join(pkg, 'dist', 'version'), `v${version}`);
    expect(state()).toBe(true);
    writeFileSync(path.join(pkg, 'path.txt'), 'Electron.app/Contents/MacOS/Electron-other');
    expect(state()).toBe(false);
  });
});
