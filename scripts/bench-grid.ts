/**
 * `npm run bench:grid` — what a user waits for in the users table: PassDesk in Chromium (the
 * Chromium test host: the built renderer, the main process's handlers and the built-in backend
 * seeded with --users users) against plain AG Grid with the same data, columns and grid size.
 *
 * How it measures
 * - Input is trusted: Playwright's page.mouse and page.keyboard (CDP input events), never
 *   synthetic DOM events.
 * - A figure runs from the input event's timeStamp to the paint that shows the effect: the
 *   effect is checked after each change to the page (a MutationObserver, and after the input
 *   event itself); once it holds, a requestAnimationFrame callback posts a MessageChannel
 *   message, which runs once that frame is painted. (A requestAnimationFrame loop would keep
 *   the renderer drawing frames the page does not ask for, and charge them to the page.) Where
 *   Chromium reports an Event Timing entry (≥ 16 ms, 8 ms steps) its duration is given too.
 * - The menu counts as open once it is in place (within 16 px of the pointer, the row under it
 *   selected) and painted. Its main-thread work is the renderer's TaskDuration (CDP
 *   Performance.getMetrics) from just before the right-click to that paint. As a hand does,
 *   the pointer first comes to rest on the row (its hover painted), then the right button is
 *   pressed and released there: the hover is not part of what the click waits for.
 * - Loads: a reload (nothing cached) from navigation start to the first rows painted and to
 *   every row loaded (the footer reads "N shown of N users", no "Loading users" progress bar),
 *   and to every row from the page's first request for users (what the fetch baselines are
 *   compared with); choosing a location: from the key press to all of its rows shown.
 * - inputToNextPaint, a key press that changes nothing, is the floor under every figure; its
 *   main-thread time is what the measuring costs.
 * - Load baselines from the same backend's database: plain AG Grid loading the same pages in
 *   the same browser; a bare fetch + JSON.parse of those pages from Node; the main process
 *   alone (its dispatcher answering the pages, no renderer); window.api alone in the page. The
 *   app's own backend keeps its token, so the baselines ask a second server of the same
 *   backend code on the app's database file, run as the app runs its own: on a thread of its
 *   own. bareFetchParseInProcess reads a third one, run on this script's thread as earlier
 *   sessions' baseline was: a strictly sequential reader gets its pages a little sooner there.
 *   The Chromium host carries each answer to the page as JSON over CDP, which Electron's IPC
 *   does not. The users stay in main (the table asks for the blocks of rows it draws), so the
 *   window carries no pages: main alone is its read of every page into a fresh users table, as
 *   the app's own read is.
 * - Before each of PassDesk's reloads, main forgets the users it read, so that each load reads
 *   them from the backend again (as the app's first start does).
 * - The baseline page is built minified exactly when the app's bundle is.
 * - Each round reloads both pages and measures both, app and baseline taking turns going first.
 *   The first search keystroke after a load is reported apart from later ones.
 *
 * Options: --users N (100000), --rounds N (10), --keystrokes N (later keystrokes per round, 3),
 * --menus N (menu opens of each kind per round, 3), --sizes a,b,… (loads only, at each size,
 * with the exponent b of time ≈ a·users^b fitted to the medians, and between neighbouring
 * sizes; --users then runs the full suite only when given too). Needs `npm run build` first. The last line is one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { build } from 'vite';
import { startBackend, type RunningBackend } from '../electron/backend/index.ts';
import { startBackendThread } from '../electron/backend/thread/backend-thread.ts';
import { loadRendererAsset } from '../electron/main/renderer-assets.ts';
import { invokeContract } from '../shared/ipc/index.ts';
import { createLogger } from '../shared/log/index.ts';
import { openSessionUsers } from '../electron/main/services/users-table/session-users.ts';
import {
  CHROMIUM_FLAGS,
  launchChromiumApp,
  type ChromiumApp,
} from '../test/e2e/support/chromium-host.ts';
import { CHROMIUM_PATH } from '../test/e2e/support/choose-host.ts';
import {
  fitPowerLaw,
  median,
  round,
  showSummary,
  stepExponents,
  summarize,
  takingTurns,
  wholeNumber,
  wholeNumbers,
  type Summary,
} from './bench-support.ts';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string' },
    rounds: { type: 'string', default: '10' },
    keystrokes: { type: 'string', default: '3' },
    menus: { type: 'string', default: '3' },
    sizes: { type: 'string' },
  },
});
const ROUNDS = wholeNumber('rounds', args.rounds);
const KEYSTROKES = wholeNumber('keystrokes', args.keystrokes);
const MENUS = wholeNumber('menus', args.menus);
const SIZES = args.sizes === undefined ? [] : wholeNumbers('sizes', args.sizes, 10);
const SUITE_USERS =
  args.users !== undefined || SIZES.length === 0
    ? wholeNumber('users', args.users ?? '100000', 10)
    : null;
const ROOT = path.resolve(import.meta.dirname, '..');
const PLAIN_OUT = path.join(ROOT, 'out', 'bench', 'plain-grid');
const PAGE_SIZE = 5000;
const count = new Intl.NumberFormat('en-US');

// ——— In the page ————————————————————————————————————————————————————————————————————————

/** What a measurement waits for, checked after each change to the page. */
type Effect =
  | { kind: 'shown-changed' }
  | { kind: 'shown'; text: string }
  | { kind: 'selected'; text: string }
  | { kind: 'menu'; x: number; y: number; row: number }
  | { kind: 'no-menu' }
  | { kind: 'dialog-ready' }
  | { kind: 'no-dialog' }
  | { kind: 'loaded'; users: number }
  | { kind: 'nothing' };
type Trigger = 'click' | 'contextmenu' | 'keydown';

interface Probe {
  /**
   * This document's load, in ms from navigation start: the first rows and every row painted,
   * and when the page first asked for users (stamped by the page's bridge or the plain page).
   */
  load: Promise<{ firstRowsMs: number; allRowsMs: number; usersRequestedAt: number | null }>;
  arm(trigger: Trigger, effect: Effect, timeoutMs: number): void;
  /** The armed measurement: from the trigger's timeStamp to the paint that shows the effect. */
  result(): Promise<{ startedAt: number; ms: number }>;
  /** The Event Timing entries so far (only those ≥ 16 ms are reported). */
  eventTimings(): { startTime: number; duration: number }[];
}

/** Installed in both pages before anything else runs (an init script, so it is real code). */
function installProbe(options: { users: number; loadTimeoutMs: number }): void {
  const format = new Intl.NumberFormat('en-US');
  const textOf = (testId: string) =>
    document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? '';
  const loading = () =>
    document.querySelector('[role="progressbar"][aria-label="Loading users"]') !== null;
  const menu = () => document.querySelector('[role="menu"][aria-label="Users"]');
  const menuPlaced = (x: number, y: number, row: number) => {
    const box = menu()?.getBoundingClientRect();
    if (box === undefined || box.width === 0) return false;
    const away = Math.hypot(
      Math.max(box.left - x, 0, x - box.right),
      Math.max(box.top - y, 0, y - box.bottom),
    );
    const rowSelected = document
      .querySelector(`.ag-row[row-index="${row}"]`)
      ?.classList.contains('ag-row-selected');
    return away <= 16 && rowSelected === true;
  };
  const dialogReady = () => {
    const save = [...document.querySelectorAll<HTMLButtonElement>('dialog[open] button')].find(
      (button) => button.textContent === 'Save',
    );
    return (
      document.querySelector('dialog[open] [data-testid="with-email"]') !== null &&
      save !== undefined &&
      !save.disabled
    );
  };
  const holds = (effect: Effect, shownBefore: string): boolean => {
    switch (effect.kind) {
      case 'shown-changed':
        return textOf('shown-count') !== shownBefore;
      case 'shown':
        return textOf('shown-count') === effect.text;
      case 'selected':
        return textOf('selected-count') === effect.text;
      case 'menu':
        return menuPlaced(effect.x, effect.y, effect.row);
      case 'no-menu':
        return menu() === null;
      case 'dialog-ready':
        return dialogReady();
      case 'no-dialog':
        return document.querySelector('dialog[open]') === null;
      case 'nothing':
        return true;
      case 'loaded':
        return (
          textOf('shown-count') ===
            `${format.format(effect.users)} shown of ${format.format(effect.users)} users` &&
          !loading()
        );
    }
  };
  /** Resolves after the paint of the frame being prepared now (call it in a rAF callback). */
  const afterThisPaint = () =>
    new Promise<number>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(null);
    });
  /**
   * performance.now() once the first frame in which `check()` holds is painted. It is checked
   * after each change to the page (a MutationObserver) and after each `recheckOn` event, not
   * before every frame: a requestAnimationFrame loop would keep the renderer drawing frames
   * the page itself does not ask for, and that work (about 0.5 s of CPU in a 100,000-user load
   * on 2 cores) would be charged to what is measured.
   */
  const whenPainted = (
    check: () => boolean,
    timeoutMs: number,
    what: string,
    recheckOn?: Trigger,
  ) =>
    new Promise<number>((resolve, reject) => {
      let over = false;
      const observer = new MutationObserver(() => test());
      const recheck = () => queueMicrotask(test);
      const stop = () => {
        over = true;
        observer.disconnect();
        clearTimeout(timer);
        if (recheckOn !== undefined) window.removeEventListener(recheckOn, recheck, true);
      };
      function test(): void {
        if (over || !check()) return;
        stop();
        requestAnimationFrame(() => void afterThisPaint().then(resolve));
      }
      const timer = setTimeout(() => {
        if (over) return;
        stop();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      observer.observe(document, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
      if (recheckOn !== undefined) window.addEventListener(recheckOn, recheck, true);
      test();
    });

  const timings: { startTime: number; duration: number }[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      timings.push({ startTime: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'event', buffered: true, durationThreshold: 16 } as PerformanceObserverInit);

  const firstRows = whenPainted(
    () => document.querySelector('.ag-row[row-index]') !== null,
    options.loadTimeoutMs,
    'the first rows',
  );
  const allRows = whenPainted(
    () => holds({ kind: 'loaded', users: options.users }, ''),
    options.loadTimeoutMs,
    'every row',
  );
  const load = Promise.all([firstRows, allRows]).then(([firstRowsMs, allRowsMs]) => ({
    firstRowsMs,
    allRowsMs,
    usersRequestedAt:
      (window as unknown as { __benchUsersRequestedAt?: number }).__benchUsersRequestedAt ?? null,
  }));
  load.catch(() => undefined);
  let pending: ReturnType<Probe['result']> = Promise.reject(new Error('nothing armed'));
  pending.catch(() => undefined);

  const probe: Probe = {
    load,
    arm(trigger, effect, timeoutMs) {
      let startedAt: number | null = null;
      const shownBefore = textOf('shown-count');
      window.addEventListener(trigger, (event) => (startedAt ??= event.timeStamp), {
        capture: true,
        once: true,
      });
      pending = whenPainted(
        () => startedAt !== null && holds(effect, shownBefore),
        timeoutMs,
        effect.kind,
        trigger,
      ).then((paintedAt) => ({
        startedAt: startedAt ?? paintedAt,
        ms: paintedAt - (startedAt ?? paintedAt),
      }));
      pending.catch(() => undefined);
    },
    result: () => pending,
    eventTimings: () => [...timings],
  };
  Object.assign(window, { __probe: probe });
}

/**
 * PassDesk only, after the host's bridge is in place: stamps when the renderer first asks for
 * a page of users (the contract's channel, so that a renamed channel is followed).
 */
function stampUsersRequest(channel: string): void {
  type Invoke = (channel: string, input: unknown) => Promise<unknown>;
  const host = window as unknown as { __passdeskInvoke?: Invoke; __benchUsersRequestedAt?: number };
  const invoke = host.__passdeskInvoke;
  if (invoke === undefined) return;
  host.__passdeskInvoke = (name, input) => {
    if (name === channel) host.__benchUsersRequestedAt ??= performance.now();
    return invoke(name, input);
  };
}

interface ProbeWindow {
  __probe: Probe;
}
/** page.evaluate callbacks that reach the probe (they run in the page, so they close over nothing). */
const inPage = {
  arm: ([trigger, effect, timeoutMs]: readonly [Trigger, Effect, number]) =>
    (window as unknown as ProbeWindow).__probe.arm(trigger, effect, timeoutMs),
  result: () => (window as unknown as ProbeWindow).__probe.result(),
  load: () => (window as unknown as ProbeWindow).__probe.load,
  eventTimings: () => (window as unknown as ProbeWindow).__probe.eventTimings(),
};

// ——— Driving a page ———————————————————————————————————————————————————————————————————

interface BenchPage {
  name: 'passdesk' | 'plainAgGrid';
  page: Page;
  cdp: CDPSession;
  /** The header's select-all checkbox. */
  selectAllBox: string;
  /** Makes the next load a cold one (PassDesk: main forgets the users it read). */
  beforeReload?: () => void;
}

interface Sample {
  ms: number;
  /** The trigger's timeStamp in the page, to find its Event Timing entries. */
  startedAt: number;
  /** The renderer's main-thread task time from just before the input to the painted effect. */
  mainThreadMs: number;
  eventTimingMs?: number | null;
}

async function taskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

/** Arms the probe, does `act` (trusted input), and waits for the painted effect. */
async function timed(
  p: BenchPage,
  trigger: Trigger,
  effect: Effect,
  act: () => Promise<void>,
  timeoutMs: number,
): Promise<Sample> {
  await p.page.evaluate(inPage.arm, [trigger, effect, timeoutMs] as const);
  const before = await taskMs(p.cdp);
  await act();
  const { ms, startedAt } = await p.page.evaluate(inPage.result);
  return { ms, startedAt, mainThreadMs: (await taskMs(p.cdp)) - before };
}

/** The centre of the first element matching `selector` (and starting with `text`, if given). */
async function centreOf(page: Page, selector: string, text?: string) {
  return page.evaluate(
    ([css, start]) => {
      const element = [...document.querySelectorAll(css)].find(
        (e) => start === undefined || e.textContent.startsWith(start),
      );
      if (element === undefined) throw new Error(`nothing matches ${css} ${start ?? ''}`);
      const box = element.getBoundingClientRect();
      return { x: Math.round(box.left + box.width / 2), y: Math.round(box.top + box.height / 2) };
    },
    [selector, text] as const,
  );
}

/** The centre of row `row`'s User ID cell, where a right-click opens the menu. */
const cellPoint = (page: Page, row: number) =>
  centreOf(page, `.ag-row[row-index="${row}"] [col-id="id"]`);

/** This process's own heap (the main process's, and the twin backend's), for `settle`. */
const mainInspector = new Session();
mainInspector.connect();
/** How long `settle` waits after the collections, for work queued by the step before. */
const SETTLE_MS = 300;

/**
 * Before each load: a full garbage collection in this process and in every page, then a short
 * pause. The step before may leave a lot behind: main forgets the lists it read, a baseline
 * reads 100,000 users into a table and drops it, a page's idle work is still queued. A user's
 * load starts on a machine at rest (the app just started, or a table at rest), so the load
 * measured should not pay for the measuring before it. Every load gets it: the app's, plain
 * AG Grid's and each baseline.
 */
async function settle(pages: readonly BenchPage[]): Promise<void> {
  await mainInspector.post('HeapProfiler.collectGarbage');
  for (const p of pages) await p.cdp.send('HeapProfiler.collectGarbage');
  await sleep(SETTLE_MS);
}

async function heapMb(p: BenchPage): Promise<number> {
  await p.cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await p.cdp.send('Runtime.getHeapUsage');
  return usedSize / 1024 / 1024;
}

/** Figure name → its samples, over all rounds. */
type Figures = Map<string, Sample[]>;
const record = (figures: Figures, name: string, sample: Sample) =>
  figures.set(name, [...(figures.get(name) ?? []), sample]);
const plainFigure = (ms: number): Sample => ({ ms, startedAt: -1, mainThreadMs: 0 });

// ——— One round on one page ——————————————————————————————————————————————————————————————

interface Round {
  users: number;
  timeoutMs: number;
  interactions: boolean;
  /** The location chosen in PassDesk after each load. */
  location: { id: string; users: number } | null;
  /** Lets the machine go quiet before a load (see `settle`). */
  settle(): Promise<void>;
}

async function measureLoad(p: BenchPage, figures: Figures, r: Round): Promise<void> {
  // Forgotten after the pause, not before: the page still open could read the list again.
  await r.settle();
  p.beforeReload?.();
  await p.page.reload({ waitUntil: 'domcontentloaded', timeout: r.timeoutMs });
  const load = await p.page.evaluate(inPage.load);
  record(figures, 'firstRows', plainFigure(load.firstRowsMs));
  record(figures, 'allRowsLoaded', plainFigure(load.allRowsMs));
  if (load.usersRequestedAt !== null) {
    const fromRequest = load.allRowsMs - load.usersRequestedAt;
    record(figures, 'allRowsFromFirstRequest', plainFigure(fromRequest));
  }
}

/** The first keystroke after the load, then later ones; each then cleared with Backspace. */
async function measureSearch(p: BenchPage, figures: Figures, r: Round): Promise<void> {
  const { page } = p;
  const box = await centreOf(page, 'input[type="search"]');
  await page.mouse.click(box.x, box.y);
  const all = {
    kind: 'shown',
    text: `${count.format(r.users)} shown of ${count.format(r.users)} users`,
  } as const;
  const type = (key: string) => () => page.keyboard.press(key);
  for (let k = 0; k <= KEYSTROKES; k += 1) {
    const sample = await timed(p, 'keydown', { kind: 'shown-changed' }, type('7'), r.timeoutMs);
    record(figures, k === 0 ? 'searchFirstKeystroke' : 'searchLaterKeystroke', sample);
    record(figures, 'searchClear', await timed(p, 'keydown', all, type('Backspace'), r.timeoutMs));
  }
}

async function measureSelectAll(p: BenchPage, figures: Figures, r: Round): Promise<void> {
  const box = await centreOf(p.page, p.selectAllBox);
  const click = () => p.page.mouse.click(box.x, box.y);
  const all = { kind: 'selected', text: `${count.format(r.users)} selected` } as const;
  record(figures, 'selectAll', await timed(p, 'click', all, click, r.timeoutMs));
  const none = { kind: 'selected', text: '0 selected' } as const;
  record(figures, 'unselectAll', await timed(p, 'click', none, click, r.timeoutMs));
}

async function openMenu(p: BenchPage, row: number, timeoutMs: number): Promise<Sample> {
  const { mouse } = p.page;
  const at = await cellPoint(p.page, row);
  await mouse.move(at.x, at.y);
  // The hover painted: two frames.
  await p.page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
  const rightClick = async () => {
    await mouse.down({ button: 'right' });
    await mouse.up({ button: 'right' });
  };
  return timed(p, 'contextmenu', { kind: 'menu', x: at.x, y: at.y, row }, rightClick, timeoutMs);
}

async function closeMenu(p: BenchPage, timeoutMs: number): Promise<void> {
  await timed(p, 'keydown', { kind: 'no-menu' }, () => p.page.keyboard.press('Escape'), timeoutMs);
}

/** Right-click on a row outside the selection (selects it), then on it again (selected). */
async function measureMenus(p: BenchPage, figures: Figures, r: Round): Promise<number> {
  let row = 1;
  for (let k = 0; k < MENUS; k += 1) {
    row = 1 + 2 * k;
    record(figures, 'menuSelectsRow', await openMenu(p, row, r.timeoutMs));
    await closeMenu(p, r.timeoutMs);
    record(figures, 'menuOnSelection', await openMenu(p, row, r.timeoutMs));
    await closeMenu(p, r.timeoutMs);
  }
  return row;
}

/** With one row selected: its menu's Inverse selection, to N − 1 selected. */
async function measureInverse(p: BenchPage, figures: Figures, r: Round, row: number) {
  await openMenu(p, row, r.timeoutMs);
  const item = await centreOf(p.page, '[role="menuitem"]', 'Inverse selection');
  const effect = { kind: 'selected', text: `${count.format(r.users - 1)} selected` } as const;
  const click = () => p.page.mouse.click(item.x, item.y);
  record(figures, 'inverseSelection', await timed(p, 'click', effect, click, r.timeoutMs));
}

/** The first location in the picker (after All locations): its id and how many users. */
async function firstLocation(page: Page): Promise<{ id: string; users: number }> {
  const option = page.getByLabel('Location').locator('option').nth(1);
  const label = (await option.textContent()) ?? '';
  const users = Number(/\(([\d,]+)\)$/u.exec(label)?.[1]?.replaceAll(',', '') ?? NaN);
  const id = (await option.getAttribute('value')) ?? '';
  if (!Number.isInteger(users) || id === '') throw new Error(`cannot read the location "${label}"`);
  return { id, users };
}

/** PassDesk only: a key press on the focused Location picker until all its users are shown. */
async function measureChooseLocation(p: BenchPage, figures: Figures, r: Round, users: number) {
  await p.page.getByLabel('Location').focus();
  await r.settle();
  const loaded = { kind: 'loaded', users } as const;
  const choose = () => p.page.keyboard.press('ArrowDown');
  record(figures, 'chooseLocation', await timed(p, 'keydown', loaded, choose, r.timeoutMs));
}

/** PassDesk only: Forgot Password(s) for every user of the location, to a usable dialog. */
async function measureForgot(p: BenchPage, figures: Figures, r: Round, users: number) {
  const { page } = p;
  const box = await centreOf(page, p.selectAllBox);
  const all = { kind: 'selected', text: `${count.format(users)} selected` } as const;
  await timed(p, 'click', all, () => page.mouse.click(box.x, box.y), r.timeoutMs);
  await openMenu(p, 1, r.timeoutMs);
  const item = await centreOf(page, '[role="menuitem"]', 'Forgot Password(s)');
  const click = () => page.mouse.click(item.x, item.y);
  const ready = await timed(p, 'click', { kind: 'dialog-ready' }, click, r.timeoutMs);
  record(figures, 'forgotDialog', ready);
  const escape = () => page.keyboard.press('Escape');
  await timed(p, 'keydown', { kind: 'no-dialog' }, escape, r.timeoutMs);
}

/**
 * The floor under every figure: a key press that changes nothing (Shift), to the next paint.
 * Its main-thread time is what the measuring itself costs.
 */
async function measureFloor(p: BenchPage, figures: Figures, r: Round): Promise<void> {
  const press = () => p.page.keyboard.press('Shift');
  record(
    figures,
    'inputToNextPaint',
    await timed(p, 'keydown', { kind: 'nothing' }, press, r.timeoutMs),
  );
}

/** Each sample's Event Timing duration, where Chromium reported one for its input. */
async function addEventTimings(p: BenchPage, figures: Figures, since: Map<string, number>) {
  const entries = await p.page.evaluate(inPage.eventTimings);
  for (const [name, samples] of figures) {
    for (const sample of samples.slice(since.get(name) ?? 0)) {
      if (sample.startedAt < 0) continue;
      const own = entries.filter((e) => Math.abs(e.startTime - sample.startedAt) < 1);
      sample.eventTimingMs = own.length === 0 ? null : Math.max(...own.map((e) => e.duration));
    }
  }
}

async function measureRound(p: BenchPage, figures: Figures, r: Round): Promise<void> {
  const counts = new Map([...figures].map(([name, list]) => [name, list.length]));
  await measureLoad(p, figures, r);
  if (r.interactions) {
    await measureFloor(p, figures, r);
    await measureSearch(p, figures, r);
    await measureSelectAll(p, figures, r);
    const row = await measureMenus(p, figures, r);
    await measureInverse(p, figures, r, row);
    record(figures, 'heapMb', plainFigure(await heapMb(p)));
  }
  if (p.name === 'passdesk' && r.location !== null) {
    await measureChooseLocation(p, figures, r, r.location.users);
    if (r.interactions) await measureForgot(p, figures, r, r.location.users);
  }
  await addEventTimings(p, figures, counts);
}

// ——— Baselines for the load ——————————————————————————————————————————————————————————————

/** Every page of users straight from the backend: fetch, then JSON.parse, one after another. */
async function bareFetchMs(backend: RunningBackend, locationId?: string): Promise<number> {
  const started = performance.now();
  const where = locationId === undefined ? '' : `&locationId=${encodeURIComponent(locationId)}`;
  let cursor: string | null = null;
  do {
    const query: string = (cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`) + where;
    const response = await fetch(`${backend.url}/api/v1/users?limit=${PAGE_SIZE}${query}`, {
      headers: { Authorization: `Bearer ${backend.adminToken}` },
    });
    if (!response.ok) throw new Error(`the backend answered ${response.status}`);
    const page = JSON.parse(await response.text()) as { nextCursor: string | null };
    cursor = page.nextCursor;
  } while (cursor !== null);
  return performance.now() - started;
}

/** The main process alone: a fresh users table of the app's session reading every page. */
async function mainAloneMs(app: ChromiumApp): Promise<number> {
  const session = app.core.session();
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const users = openSessionUsers({
      client: session.client,
      connection: session.connection,
      jobs: () => session.jobs,
      onChange: (load) => {
        if (load.state === 'loading') return;
        users.table.close();
        if (load.state === 'done') resolve();
        else reject(new Error(load.error ?? 'the load failed'));
      },
    });
    users.table.load(null);
  });
  return performance.now() - started;
}

// ——— The baseline page ————————————————————————————————————————————————————————————————————

/** Whether a built script is minified: minifiers leave few, very long lines. */
function looksMinified(file: string): boolean {
  const code = readFileSync(file, 'utf8');
  return code.length / code.split('\n').length > 500;
}

/** The entry script of a built page. */
function entryScript(dir: string): string {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const src = /<script[^>]*type="module"[^>]*src="([^"]+)"/u.exec(html)?.[1];
  if (src === undefined) throw new Error(`no entry script in ${dir}/index.html`);
  return path.join(dir, src.replace(/^\.?\//u, ''));
}

/** Builds the plain AG Grid page in the app's build mode; says which mode that is. */
async function buildPlainPage(): Promise<{ app: string; plain: string }> {
  const appMinified = looksMinified(entryScript(path.join(ROOT, 'out', 'renderer')));
  await build({
    root: path.join(ROOT, 'bench', 'plain-grid'),
    logLevel: 'warn',
    base: './',
    build: { outDir: PLAIN_OUT, emptyOutDir: true, minify: appMinified, sourcemap: false },
  });
  const mode = (minified: boolean) => (minified ? 'minified' : 'not minified');
  const plain = mode(looksMinified(entryScript(PLAIN_OUT)));
  if (plain !== mode(appMinified))
    throw new Error(`the app is ${mode(appMinified)}, the baseline ${plain}`);
  return { app: mode(appMinified), plain };
}

/** Serves the baseline page, and /api/* from `backend` with its admin token added. */
async function servePlainPage(backend: RunningBackend): Promise<{ url: string; close(): void }> {
  const target = new URL(backend.url);
  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (url.startsWith('/api/')) {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: url,
          headers: { Authorization: `Bearer ${backend.adminToken}` },
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.writeHead(502).end());
      upstream.end();
      return;
    }
    void loadRendererAsset(PLAIN_OUT, new URL(url, 'http://127.0.0.1').href).then((asset) => {
      response.writeHead(asset.status, { 'Content-Type': asset.contentType });
      response.end(asset.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

async function benchPage(name: BenchPage['name'], page: Page, selectAllBox: string) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return { name, page, cdp, selectAllBox } satisfies BenchPage;
}

// ——— One size —————————————————————————————————————————————————————————————————————————————

interface SizeResult {
  users: number;
  setupSeconds: number;
  passdesk: Figures;
  plainAgGrid: Figures;
  /** Loads without a grid: bare fetch + parse, the main process alone, window.api alone. */
  baselines: Figures;
  location: { id: string; users: number };
  /** Other work on the machine slows every figure: the 1-minute load average around the rounds. */
  loadAverage1m: { start: number; end: number };
}

interface Pages {
  app: ChromiumApp;
  /** A second server of the built-in backend on the app's database, with a token we know. */
  twin: RunningBackend;
  /**
   * A third, on this script's own thread: the baseline as earlier sessions measured it, kept
   * to compare with (a strictly sequential reader gets its pages a little sooner from it).
   */
  inProcessTwin: RunningBackend;
  pages: BenchPage[];
  close(): Promise<void>;
}

/** The app seeded with `users` users, the twin backend and the plain page, all loaded once. */
async function openPages(browser: Browser, users: number, timeoutMs: number): Promise<Pages> {
  const app = await launchChromiumApp(browser, {
    seed: `large:${users}`,
    beforeLoad: async (page) => {
      await page.addInitScript(installProbe, { users, loadTimeoutMs: timeoutMs });
      await page.addInitScript(stampUsersRequest, invokeContract.loadUsers.channel);
    },
  });
  const twinOptions = () => ({
    dataDir: path.join(app.dataDir, 'backend'),
    hashCost: 'test' as const,
    staticDir: null,
    adminToken: randomBytes(24).toString('base64url'),
    adminRateLimit: { points: 1_000_000, windowSeconds: 60 },
  });
  const twin = await startBackendThread(twinOptions(), createLogger({ sink: () => undefined }));
  const inProcessTwin = await startBackend(twinOptions());
  const served = await servePlainPage(twin);
  const plainContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const close = async () => {
    await plainContext.close();
    served.close();
    await twin.close();
    await inProcessTwin.close();
    await app.close();
  };
  try {
    await app.page.evaluate(inPage.load);
    // The plain grid gets the app's grid area, so that as many rows are drawn.
    const grid = await app.page.evaluate(() => {
      const box = document.querySelector('.users-grid')?.getBoundingClientRect();
      return { width: Math.round(box?.width ?? 1254), height: Math.round(box?.height ?? 443) };
    });
    const plainPage = await plainContext.newPage();
    await plainPage.addInitScript(installProbe, { users, loadTimeoutMs: timeoutMs });
    await plainPage.goto(`${served.url}/index.html?width=${grid.width}&height=${grid.height}`);
    await plainPage.evaluate(inPage.load);
    const pages = [
      {
        ...(await benchPage(
          'passdesk',
          app.page,
          '.ag-header-cell[col-id="select"] [role="checkbox"]',
        )),
        beforeReload: () => app.core.session().users.table.forget(),
      },
      await benchPage('plainAgGrid', plainPage, '.ag-header-select-all'),
    ];
    return { app, twin, inProcessTwin, pages, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The loads without a grid, in turns; and what the plain page spent fetching and parsing. */
async function measureBaselines(open: Pages, size: SizeResult, n: number): Promise<void> {
  const runs: [string, () => Promise<number | null>][] = [
    ['bareFetchParse', () => bareFetchMs(open.twin)],
    ['bareFetchParseInProcess', () => bareFetchMs(open.inProcessTwin)],
    ['bareFetchParseLocation', () => bareFetchMs(open.twin, size.location.id)],
    ['mainProcessAlone', () => mainAloneMs(open.app)],
  ];
  for (const [name, run] of takingTurns(n, runs)) {
    await settle(open.pages);
    const ms = await run();
    if (ms !== null) record(size.baselines, name, plainFigure(ms));
  }
  const plain = open.pages.find((p) => p.name === 'plainAgGrid')?.page;
  const plainFetch = await plain?.evaluate(
    () => (window as unknown as { __plainFetchParseMs?: number }).__plainFetchParseMs ?? null,
  );
  if (typeof plainFetch === 'number') {
    record(size.baselines, 'plainPageFetchParse', plainFigure(plainFetch));
  }
}

async function runSize(browser: Browser, users: number, interactions: boolean) {
  const timeoutMs = 60_000 + users;
  const started = performance.now();
  console.log(`\n— ${count.format(users)} users: seeding and starting the app…`);
  const open = await openPages(browser, users, timeoutMs);
  try {
    const location = await firstLocation(open.app.page);
    const size: SizeResult = {
      users,
      setupSeconds: round((performance.now() - started) / 1000),
      passdesk: new Map(),
      plainAgGrid: new Map(),
      baselines: new Map(),
      location,
      loadAverage1m: { start: round(loadavg()[0] ?? 0, 2), end: 0 },
    };
    console.log(`up in ${size.setupSeconds} s; ${ROUNDS} rounds…`);
    const r: Round = {
      users,
      timeoutMs,
      interactions,
      location,
      settle: () => settle(open.pages),
    };
    for (let n = 0; n < ROUNDS; n += 1) {
      for (const p of takingTurns(n, open.pages)) await measureRound(p, size[p.name], r);
      await measureBaselines(open, size, n);
      const last = (figures: Figures) => Math.round(figures.get('allRowsLoaded')?.at(-1)?.ms ?? 0);
      console.log(
        `round ${n + 1}: all rows loaded — PassDesk ${last(size.passdesk)} ms, plain AG Grid ${last(size.plainAgGrid)} ms`,
      );
    }
    size.loadAverage1m.end = round(loadavg()[0] ?? 0, 2);
    return size;
  } finally {
    await open.close();
  }
}

// ——— Report ———————————————————————————————————————————————————————————————————————————————

interface FigureReport {
  ms: Summary;
  mainThreadMs?: Summary;
  /** How many samples Chromium reported an Event Timing entry for (≥ 16 ms), and their median. */
  eventTiming?: { reported: number; medianMs: number | null };
}

function reportFigures(figures: Figures): Record<string, FigureReport> {
  const out: Record<string, FigureReport> = {};
  for (const [name, samples] of figures) {
    const report: FigureReport = { ms: summarize(samples.map((s) => s.ms)) };
    if (samples.some((s) => s.startedAt >= 0)) {
      report.mainThreadMs = summarize(samples.map((s) => s.mainThreadMs));
      const reported = samples.flatMap((s) =>
        typeof s.eventTimingMs === 'number' ? [s.eventTimingMs] : [],
      );
      report.eventTiming = {
        reported: reported.length,
        medianMs: reported.length === 0 ? null : round(median(reported)),
      };
    }
    out[name] = report;
  }
  return out;
}

const TARGETS: Record<string, number> = {
  firstRows: 1000,
  searchFirstKeystroke: 150,
  searchLaterKeystroke: 150,
  menuSelectsRow: 50,
  menuOnSelection: 50,
  selectAll: 100,
  inverseSelection: 150,
  forgotDialog: 300,
  heapMb: 120,
};
/** Main-thread work per menu open: one frame. */
const MENU_WORK_TARGET_MS = 16.7;

function printSize(
  size: SizeResult,
  passdesk: Record<string, FigureReport>,
  plain: Record<string, FigureReport>,
) {
  console.log(
    `\n${count.format(size.users)} users, ${ROUNDS} rounds — min / median / max (ms; heap MB)`,
  );
  for (const [name, report] of Object.entries(passdesk)) {
    const target = TARGETS[name];
    const verdict =
      target === undefined
        ? ''
        : `target ≤ ${target} ${report.ms.median <= target ? 'met' : 'MISSED'}`;
    const base = plain[name];
    const ratio =
      base === undefined || base.ms.median === 0
        ? ''
        : `; ${round(report.ms.median / base.ms.median, 2)}× plain`;
    const work =
      name.startsWith('menu') && report.mainThreadMs !== undefined
        ? `  main thread ${showSummary(report.mainThreadMs)} (target ≤ ${MENU_WORK_TARGET_MS} ${report.mainThreadMs.median <= MENU_WORK_TARGET_MS ? 'met' : 'MISSED'})`
        : '';
    const plainText = base === undefined ? '' : `  (plain AG Grid ${showSummary(base.ms)}${ratio})`;
    console.log(
      `${name.padEnd(22)} ${showSummary(report.ms).padEnd(26)} ${verdict}${plainText}${work}`,
    );
  }
}

/** The load against its baselines, medians over medians (item 1's target: ≤ 1.5 at 100k). */
function loadRatios(size: SizeResult) {
  const medianOf = (figures: Figures, name: string) =>
    median((figures.get(name) ?? []).map((s) => s.ms));
  const ratio = (a: number, b: number) => (a === 0 || b === 0 ? null : round(a / b, 2));
  const bare = medianOf(size.baselines, 'bareFetchParse');
  return {
    allRowsFromFirstRequestVsBareFetch: ratio(
      medianOf(size.passdesk, 'allRowsFromFirstRequest'),
      bare,
    ),
    chooseLocationVsBareFetch: ratio(
      medianOf(size.passdesk, 'chooseLocation'),
      medianOf(size.baselines, 'bareFetchParseLocation'),
    ),
    allRowsLoadedVsPlainAgGrid: ratio(
      medianOf(size.passdesk, 'allRowsLoaded'),
      medianOf(size.plainAgGrid, 'allRowsLoaded'),
    ),
    plainAgGridFromFirstRequestVsBareFetch: ratio(
      medianOf(size.plainAgGrid, 'allRowsFromFirstRequest'),
      bare,
    ),
    /** The same, against the backend served from this script's thread (earlier sessions' baseline). */
    allRowsFromFirstRequestVsBareFetchInProcess: ratio(
      medianOf(size.passdesk, 'allRowsFromFirstRequest'),
      medianOf(size.baselines, 'bareFetchParseInProcess'),
    ),
    mainProcessAloneVsBareFetch: ratio(medianOf(size.baselines, 'mainProcessAlone'), bare),
    /** What the window adds to main's own read, in ms (medians subtracted). */
    allRowsBeyondMainMs: round(
      medianOf(size.passdesk, 'allRowsFromFirstRequest') -
        medianOf(size.baselines, 'mainProcessAlone'),
    ),
  };
}

function printLoadAverage({ loadAverage1m: { start, end } }: SizeResult) {
  console.log(
    `1-minute load average ${start} → ${end} on ${availableParallelism()} cores ` +
      '(this bench counts too, about 2; well above that, other work slowed the figures)',
  );
}

/** The full suite at one size: printed, and its part of the JSON line. */
async function suite(browser: Browser, users: number): Promise<Record<string, unknown>> {
  const size = await runSize(browser, users, true);
  const passdesk = reportFigures(size.passdesk);
  const plain = reportFigures(size.plainAgGrid);
  const baselines = reportFigures(size.baselines);
  const ratios = loadRatios(size);
  printSize(size, passdesk, plain);
  console.log(`(chooseLocation and forgotDialog: ${count.format(size.location.users)} users)`);
  for (const [name, report] of Object.entries(baselines)) {
    console.log(`${name.padEnd(22)} ${showSummary(report.ms)}`);
  }
  console.log('load ratios (medians; all rows ≤ 1.5× bare fetch + parse):', ratios);
  printLoadAverage(size);
  return {
    users,
    location: size.location,
    loadAverage1m: size.loadAverage1m,
    keystrokesPerRound: { first: 1, later: KEYSTROKES },
    menusPerRound: MENUS,
    passdesk,
    plainAgGrid: plain,
    loadBaselines: baselines,
    loadRatios: ratios,
    targets: {
      ...TARGETS,
      menuMainThreadMs: MENU_WORK_TARGET_MS,
      allRowsFromFirstRequestVsBareFetch: 1.5,
    },
  };
}

/** Loads only, at each size, and the exponent of time ≈ a·users^b fitted to the medians. */
async function scaling(browser: Browser, sizes: number[]): Promise<Record<string, unknown>> {
  const loads: Record<string, unknown>[] = [];
  const series: Record<string, { x: number; y: number }[]> = {};
  for (const users of sizes) {
    const size = await runSize(browser, users, false);
    const all = [
      ...[...size.passdesk].map(([name, samples]) => [`passdesk.${name}`, samples] as const),
      ...[...size.plainAgGrid].map(([name, samples]) => [`plainAgGrid.${name}`, samples] as const),
      ...size.baselines,
    ];
    const figures = Object.fromEntries(
      all.map(([name, samples]) => [name, summarize(samples.map((s) => s.ms))]),
    );
    // What the window adds to main's own read (an estimate: medians subtracted).
    const beyond =
      (figures['passdesk.allRowsFromFirstRequest']?.median ?? NaN) -
      (figures.mainProcessAlone?.median ?? NaN);
    const medians: [string, number][] = [
      ...Object.entries(figures).map(([name, s]): [string, number] => [name, s.median]),
      ['passdesk.allRowsBeyondMain', beyond],
    ];
    for (const [name, value] of medians) (series[name] ??= []).push({ x: users, y: value });
    loads.push({
      users,
      loadAverage1m: size.loadAverage1m,
      usersPerLocation: size.location.users,
      ...figures,
      ratios: loadRatios(size),
    });
    console.log(`${count.format(users)} users:`);
    printLoadAverage(size);
    for (const [name, s] of Object.entries(figures))
      console.log(`  ${name.padEnd(36)} ${showSummary(s)}`);
  }
  const exponents = Object.fromEntries(
    Object.entries(series).map(([name, points]) => [
      name,
      { ...fitPowerLaw(points), between: stepExponents(points) },
    ]),
  );
  console.log("\nexponent b of time ≈ a·users^b (medians; target ≤ 1.1 for PassDesk's loads):");
  for (const [name, fit] of Object.entries(exponents)) {
    const steps = fit.between.map((step) => `${step.from}→${step.to}: ${step.exponent}`);
    console.log(
      `  ${name.padEnd(36)} ${fit.exponent ?? '—'} (r² ${fit.r2 ?? '—'}; ${steps.join(', ')})`,
    );
  }
  return { sizes, loads, exponents, target: 1.1 };
}

// ——— Main —————————————————————————————————————————————————————————————————————————————————

const buildMode = await buildPlainPage();
console.log(`build mode: app ${buildMode.app}, baseline ${buildMode.plain}`);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
const output: Record<string, unknown> = {
  rounds: ROUNDS,
  cores: availableParallelism(),
  buildMode,
};
try {
  if (SUITE_USERS !== null) Object.assign(output, await suite(browser, SUITE_USERS));
  if (SIZES.length > 0) output.scaling = await scaling(browser, SIZES);
} finally {
  await browser.close();
  mainInspector.disconnect();
}
console.log(JSON.stringify(output));
