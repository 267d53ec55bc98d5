import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import { ROOT } from './choose-host.ts';

export interface ElectronApp {
  page: Page;
  dataDir: string;
  electronApp: ElectronApplication;
  close(): Promise<void>;
}

/** Starts the built app in Electron with a fresh profile folder of its own. */
export async function launchElectronApp(): Promise<ElectronApp> {
  const profile = mkdtempSync(path.join(tmpdir(), 'passdesk-e2e-'));
  const electronApp = await _electron.launch({
    args: [path.join(ROOT, 'out', 'main', 'index.js')],
    cwd: ROOT,
    env: { ...process.env, PASSDESK_DATA_DIR: profile, NODE_ENV: 'production' },
  });
  const page = await electronApp.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return {
    page,
    dataDir: profile,
    electronApp,
    async close() {
      await electronApp.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
