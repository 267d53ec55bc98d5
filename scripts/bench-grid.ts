/**
 * `npm run bench:grid` — the users table with 100,000 users in Chromium (the Chromium test host:
 * the real renderer, main-process handlers and built-in backend), against plain AG Grid on the
 * same data in the same run. Prints each figure, its target and the ratio to plain AG Grid;
 * the last line is one JSON object. Needs `npm run build` first (the app) and builds the
 * baseline page itself.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { build } from 'vite';
import { loadRendererAsset } from '../electron/main/renderer-assets.ts';
import { CHROMIUM_FLAGS, launchChromiumApp } from '../test/e2e/support/chromium-host.ts';
import { CHROMIUM_PATH } from '../test/e2e/support/choose-host.ts';

const USERS = 100_000;
const RUNS = 3;
const ROOT = path.resolve(import.meta.dirname, '..');
const PLAIN_OUT = path.join(ROOT, 'out', 'bench', 'plain-grid');

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const round = (n: number): number => Math.round(n * 10) / 10;

/** Runs `trigger` in the page and resolves with the ms until `done()` holds and a frame is painted. */
async function timed(page: Page, trigger: string, done: string): Promise<number> {
  return page.evaluate(
    ([triggerSource, doneSource]) =>
      new Promise<number>((resolve, reject) => {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- benchmark-only page code
        const check = new Function(`return (${doneSource})`) as () => boolean;
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- benchmark-only page code
        const run = new Function(triggerSource) as () => void;
        const started = performance.now();
        const finish = () => requestAnimationFrame(() => resolve(performance.now() - started));
        const observer = new MutationObserver(() => {
          if (check()) {
            observer.disconnect();
            finish();
          }
        });
        observer.observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
          attributes: true,
        });
        setTimeout(() => reject(new Error(`timed out waiting for ${doneSource}`)), 30_000);
        run();
        if (check()) {
          observer.disconnect();
          finish();
        }
      }),
    [trigger, done] as const,
  );
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return round(usedSize / 1024 / 1024);
}

const text = (testId: string): string =>
  `document.querySelector('[data-testid="${testId}"]')?.textContent`;
const cell = (row: number): string =>
  `document.querySelector('.ag-row[row-index="${row}"] .ag-cell[col-id="id"]')`;
const menuItem = (label: string): string =>
  `[...document.querySelectorAll('[role="menuitem"]')].find((item) => item.textContent.startsWith('${label}'))`;
const openMenu = (row: number): string =>
  `const cell = ${cell(row)}; const box = cell.getBoundingClientRect();
   cell.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, button: 2, clientX: box.left + 5, clientY: box.top + 5 }));`;

async function measureApp(page: Page, lastPageAt: () => number | null) {
  await page.waitForFunction(
    (expected) => document.querySelector('[data-testid="shown-count"]')?.textContent === expected,
    `${USERS.toLocaleString('en-US')} shown of ${USERS.toLocaleString('en-US')} users`,
    { timeout: 120_000 },
  );
  const marks = await page.evaluate(() => {
    const stamps = window as unknown as { __firstPageAt: number; __firstRowAt: number };
    return { page: stamps.__firstPageAt, row: stamps.__firstRowAt };
  });
  const allShownAt = Date.now();
  const firstRowsMs = marks.row - marks.page;
  const lastPageToAllMs = allShownAt - (lastPageAt() ?? allShownAt);

  const menu: number[] = [];
  const selectAll: number[] = [];
  const inverse: number[] = [];
  const search: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    menu.push(await timed(page, openMenu(3), `document.querySelector('[role="menu"]') !== null`));
    selectAll.push(
      await timed(
        page,
        `${menuItem('Select All')}.click()`,
        `${text('selected-count')} === '100,000 selected'`,
      ),
    );
    await timed(page, `${cell(2)}.click()`, `${text('selected-count')} === '1 selected'`);
    await timed(page, openMenu(2), `document.querySelector('[role="menu"]') !== null`);
    inverse.push(
      await timed(
        page,
        `${menuItem('Inverse selection')}.click()`,
        `${text('selected-count')} === '99,999 selected'`,
      ),
    );
    await timed(page, openMenu(2), `document.querySelector('[role="menu"]') !== null`);
    await timed(
      page,
      `${menuItem('Unselect')}.click()`,
      `${text('selected-count')} === '0 selected'`,
    );

    // One keystroke: the input event React listens to, as typing "7" fires it.
    const type = (value: string) => `const box = document.querySelector('input[type="search"]');
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(box, '${value}');
      box.dispatchEvent(new Event('input', { bubbles: true }));`;
    search.push(
      await timed(page, type('7'), `${text('shown-count')}?.startsWith('100,000') === false`),
    );
    await timed(page, type(''), `${text('shown-count')}?.startsWith('100,000 shown') === true`);
  }
  return {
    firstRowsMs: round(firstRowsMs),
    lastPageToAllRowsMs: round(lastPageToAllMs),
    selectAllMs: round(median(selectAll)),
    inverseMs: round(median(inverse)),
    searchKeystrokeMs: round(median(search)),
    menuMs: round(median(menu)),
    heapMb: await heapMb(page),
  };
}

async function measurePlain(page: Page, rows: unknown[]) {
  await page.evaluate((data) => Object.assign(window, { rows: data }), rows);
  const bench = 'window.bench';
  const firstRowsMs = await timed(
    page,
    `${bench}.setRows(window.rows); window.rows = null;`,
    `document.querySelector('.ag-row') !== null`,
  );
  const selectAll: number[] = [];
  const inverse: number[] = [];
  const search: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    // From nothing selected, as in the app's runs.
    await page.evaluate(() =>
      (window as unknown as { bench: { deselectAll: () => void } }).bench.deselectAll(),
    );
    selectAll.push(await timed(page, `${bench}.selectAll()`, `${bench}.selected() === ${USERS}`));
    await page.evaluate(() =>
      (window as unknown as { bench: { selectOne: () => void } }).bench.selectOne(),
    );
    inverse.push(await timed(page, `${bench}.inverse()`, `${bench}.selected() === ${USERS - 1}`));
    search.push(await timed(page, `${bench}.quickFilter('7')`, `${bench}.shown() < ${USERS}`));
    await page.evaluate(() => {
      const b = (
        window as unknown as { bench: { quickFilter: (t: string) => void; selectOne: () => void } }
      ).bench;
      b.quickFilter('');
    });
  }
  return {
    firstRowsMs: round(firstRowsMs),
    selectAllMs: round(median(selectAll)),
    inverseMs: round(median(inverse)),
    searchKeystrokeMs: round(median(search)),
    heapMb: await heapMb(page),
  };
}

// The baseline page, built like the renderer.
await build({
  root: path.join(ROOT, 'bench', 'plain-grid'),
  logLevel: 'warn',
  base: './',
  build: { outDir: PLAIN_OUT, emptyOutDir: true },
});
const server = createServer((request, response) => {
  void loadRendererAsset(PLAIN_OUT, new URL(request.url ?? '/', 'http://127.0.0.1').href).then(
    (asset) => {
      response.writeHead(asset.status, { 'Content-Type': asset.contentType });
      response.end(asset.body);
    },
  );
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const plainUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;

const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: [...CHROMIUM_FLAGS, '--enable-precise-memory-info'],
});
let lastPageAt: number | null = null;
const seeding = Date.now();
console.log(`Starting the app with ${USERS.toLocaleString('en-US')} users…`);
const app = await launchChromiumApp(browser, {
  seed: `large:${USERS}`,
  beforeLoad: (page) =>
    page.addInitScript(() => {
      // Stamp when the first page of users reaches the page, and when the first row is painted.
      const marks = window as unknown as { __firstPageAt?: number; __firstRowAt?: number };
      const host = window as unknown as {
        __passdeskInvoke: (channel: string, input: unknown) => Promise<unknown>;
      };
      const invoke = host.__passdeskInvoke;
      host.__passdeskInvoke = async (channel, input) => {
        const answer = await invoke(channel, input);
        if (channel === 'users:page') marks.__firstPageAt ??= Date.now();
        return answer;
      };
      const observer = new MutationObserver(() => {
        if (document.querySelector('.ag-row') === null) return;
        observer.disconnect();
        requestAnimationFrame(() => (marks.__firstRowAt = Date.now()));
      });
      document.addEventListener('DOMContentLoaded', () =>
        observer.observe(document.body, { subtree: true, childList: true }),
      );
    }),
  onAnswered: (channel, at) => {
    if (channel !== 'users:page') return;
    lastPageAt = at;
  },
});
console.log(`app up in ${Date.now() - seeding} ms; measuring PassDesk…`);
const ours = await measureApp(app.page, () => lastPageAt);

const rows: unknown[] = [];
for (let cursor: string | undefined; ;) {
  const page = await app.core.client.request('users', { query: { limit: 5000, cursor } });
  if (!page.ok) throw new Error(page.message);
  rows.push(...page.data.users);
  if (page.data.nextCursor === null) break;
  cursor = page.data.nextCursor;
}
await app.close();

console.log('measuring plain AG Grid…');
const plainPage = await (
  await browser.newContext({ viewport: { width: 1280, height: 800 } })
).newPage();
await plainPage.goto(plainUrl);
const plain = await measurePlain(plainPage, rows);
await browser.close();
server.close();

const targets = {
  firstRowsMs: 1000,
  selectAllMs: 100,
  inverseMs: 150,
  searchKeystrokeMs: 150,
  menuMs: 50,
  heapMb: 120,
};
const lines: string[] = [];
for (const [key, target] of Object.entries(targets)) {
  const value = ours[key as keyof typeof ours];
  const base = plain[key as keyof typeof plain] as number | undefined;
  const ratio = base === undefined || base === 0 ? 'n/a' : `${round(value / base)}x plain`;
  lines.push(
    `${key.padEnd(18)} ${String(value).padStart(8)}  target ≤ ${target}  ${value <= target ? 'met' : 'MISSED'}  (plain AG Grid ${base ?? '—'}; ${ratio})`,
  );
}
console.log(`\n${lines.join('\n')}\nlastPageToAllRowsMs ${ours.lastPageToAllRowsMs}`);
console.log(
  JSON.stringify({ users: USERS, runs: RUNS, passdesk: ours, plainAgGrid: plain, targets }),
);
