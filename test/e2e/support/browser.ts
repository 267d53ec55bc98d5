import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_FLAGS } from './chromium-host.ts';
import { CHROMIUM_PATH } from './choose-host.ts';

/**
 * A plain browser for pages that are not the app's window (the end user's reset page): Debian's
 * Chromium when present, else Playwright's own Chromium if a tester installed it.
 */
export async function launchPlainBrowser(): Promise<Browser> {
  return chromium.launch({
    ...(existsSync(CHROMIUM_PATH) ? { executablePath: CHROMIUM_PATH } : {}),
    args: CHROMIUM_FLAGS,
  });
}
