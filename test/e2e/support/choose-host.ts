import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type HostName = 'electron' | 'chromium';

export interface HostChoice {
  name: HostName;
  reason: string;
}

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const CHROMIUM_PATH = process.env.PASSDESK_CHROMIUM ?? '/usr/bin/chromium';

/** Where the Electron binary is, without triggering its download; null when it is missing. */
export function electronBinary(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pkg = path.join(ROOT, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const binary =
    override !== undefined && override !== ''
      ? path.join(override, relative)
      : existsSync(pathFile)
        ? path.join(pkg, 'dist', relative)
        : null;
  return binary !== null && existsSync(binary) ? binary : null;
}

/**
 * Electron when its binary is usable, else Debian's Chromium; PASSDESK_E2E_HOST=electron|chromium
 * forces one.
 */
export function chooseHost(): HostChoice {
  const forced = process.env.PASSDESK_E2E_HOST;
  if (forced === 'electron' || forced === 'chromium') {
    return { name: forced, reason: 'forced by PASSDESK_E2E_HOST' };
  }
  if (forced !== undefined && forced !== '') {
    throw new Error(`PASSDESK_E2E_HOST must be "electron" or "chromium", not "${forced}"`);
  }
  const electron = electronBinary();
  if (electron !== null) return { name: 'electron', reason: `Electron binary at ${electron}` };
  if (existsSync(CHROMIUM_PATH)) {
    return { name: 'chromium', reason: `no Electron binary; using ${CHROMIUM_PATH}` };
  }
  throw new Error(
    `Neither an Electron binary nor ${CHROMIUM_PATH} is available: run "npx install-electron" ` +
      'or install Chromium (apt-get install -y chromium).',
  );
}
