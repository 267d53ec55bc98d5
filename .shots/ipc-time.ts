import { chromium } from '@playwright/test';
import { CHROMIUM_FLAGS, launchChromiumApp } from '../test/e2e/support/chromium-host.ts';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
const app = await launchChromiumApp(browser, { seed: 'large:100000' });
const page = app.page;
await page.waitForFunction(() => document.querySelector('[data-testid="shown-count"]')?.textContent === '100,000 shown of 100,000 users', undefined, { timeout: 120000 });
const ids: string[] = [];
for (let cursor: string | undefined; ;) { const p = await app.core.client.request('users', { query: { limit: 5000, cursor } }); if (!p.ok) throw new Error(); ids.push(...p.data.users.map((u) => u.id)); if (p.data.nextCursor === null) break; cursor = p.data.nextCursor; }
// main side alone
let t = performance.now();
const r = app.core.jobs.startReset(ids.slice(0, 50000), { voicePortalPasscode: '860431' });
console.log('runner.startReset 50k', (performance.now() - t).toFixed(0), 'ms', r.ok);
const ms = await page.evaluate(async (list) => { const t0 = performance.now(); const a = await (window as any).api.startResetJob({ userIds: list, voicePortalPasscode: '971402' }); return [performance.now() - t0, a.ok]; }, ids.slice(50000));
console.log('page → startResetJob 50k', ms);
await app.close(); await browser.close();
