import { test as base, type Browser, type Page } from '@playwright/test';
// The page's `window.api` type, as the renderer declares it.
import type {} from '../../../renderer/src/lib/api.ts';
import { launchChromiumApp } from './chromium-host.ts';
import { CHROMIUM_FLAGS } from './chromium-host.ts';
import { chooseHost, CHROMIUM_PATH, type HostName } from './choose-host.ts';
import { launchElectronApp } from './electron-host.ts';

export interface AppUnderTest {
  host: HostName;
  page: Page;
}

const host = chooseHost();

/** Each spec gets `app`: the PassDesk window under whichever host this run uses. */
export const test = base.extend<{ app: AppUnderTest }, { chromiumBrowser: Browser | null }>({
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
  app: async ({ chromiumBrowser }, use) => {
    if (chromiumBrowser !== null) {
      const launched = await launchChromiumApp(chromiumBrowser);
      await use({ host: 'chromium', page: launched.page });
      await launched.close();
    } else {
      const launched = await launchElectronApp();
      await use({ host: 'electron', page: launched.page });
      await launched.close();
    }
  },
});

export { expect } from '@playwright/test';
