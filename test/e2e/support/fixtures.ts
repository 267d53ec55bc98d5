import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { createManualClock, type ManualClock } from '../../../electron/backend/clock.ts';
// The page's `window.api` type, as the renderer declares it.
import type {} from '../../../renderer/src/lib/api.ts';
import { launchChromiumApp } from './chromium-host.ts';
import { CHROMIUM_FLAGS } from './chromium-host.ts';
import { chooseHost, CHROMIUM_PATH, type HostName } from './choose-host.ts';
import { launchElectronApp } from './electron-host.ts';

export interface AppUnderTest {
  host: HostName;
  page: Page;
  /** The app's data folder: the built-in backend's database is under `backend/`. */
  dataDir: string;
  /** Lets console messages matching this through (a spec that provokes them on purpose). */
  allowConsole: (pattern: RegExp) => void;
  /**
   * The built-in backend's clock, to move time on (Chromium host, with `movableClock`); null
   * under Electron, which runs the app as shipped.
   */
  clock: ManualClock | null;
}

const host = chooseHost();

/** Collects the page's console errors and warnings, and uncaught errors. */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return problems;
}

/**
 * Each spec gets `app`: the PassDesk window under whichever host this run uses. `hashing` is the
 * built-in backend's password hashing on the Chromium host: `test` (cheap) unless a spec asks
 * for the app's default, `production`; the Electron host always runs the app as shipped.
 */
export const test = base.extend<
  { app: AppUnderTest; hashing: 'test' | 'production'; movableClock: boolean },
  { chromiumBrowser: Browser | null }
>({
  hashing: ['test', { option: true }],
  movableClock: [false, { option: true }],
  chromiumBrowser: [
    async ({ playwright }, use) => {
      if (host.name !== 'chromium') {
        await use(null);
        return;
      }
      const browser = await playwright.chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: CHROMIUM_FLAGS,
      });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  app: async ({ chromiumBrowser, hashing, movableClock }, use) => {
    const clock = chromiumBrowser !== null && movableClock ? createManualClock(new Date()) : null;
    const launched =
      chromiumBrowser !== null
        ? {
            host: 'chromium' as const,
            ...(await launchChromiumApp(chromiumBrowser, {
              hashCost: hashing,
              ...(clock === null ? {} : { backendClock: clock }),
            })),
          }
        : { host: 'electron' as const, ...(await launchElectronApp()) };
    const problems = watchConsole(launched.page);
    const allowed: RegExp[] = [];
    await use({
      host: launched.host,
      page: launched.page,
      dataDir: launched.dataDir,
      clock,
      allowConsole: (pattern) => allowed.push(pattern),
    });
    await launched.close();
    // A warning from React or AG Grid (a missing module, a bad option) fails the spec.
    const unexpected = problems.filter((text) => !allowed.some((pattern) => pattern.test(text)));
    expect(unexpected, 'console errors and warnings from the page').toEqual([]);
  },
});

export { expect } from '@playwright/test';
