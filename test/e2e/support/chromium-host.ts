import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { Clock } from '../../../electron/backend/clock.ts';
import { createAppCore, type AppCore } from '../../../electron/main/app-core.ts';
import { memorySettingsStorage } from '../../../electron/main/services/settings-service.ts';
import { loadRendererAsset } from '../../../electron/main/renderer-assets.ts';
import { APP_SECURITY_HEADERS } from '../../../electron/main/security/content-security-policy.ts';
import { createLogger } from '../../../shared/log/index.ts';
import { testTokenCipher } from '../../support/test-token-cipher.ts';
import { ROOT } from './choose-host.ts';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const OUT = path.join(ROOT, 'out');

/**
 * Runs the built preload in the page with a stand-in for `require('electron')`: its
 * `contextBridge` defines `window.api`, its `ipcRenderer` talks to the test process through a
 * Playwright binding. So the page gets the very `window.api` the Electron preload builds.
 */
function preloadInitScript(): string {
  const preload = readFileSync(path.join(OUT, 'preload', 'index.cjs'), 'utf8');
  return `(() => {
  const listeners = new Map();
  const ipcRenderer = {
    // The call goes through the binding, its answer comes back over HTTP from the page's own
    // server: Playwright's binding carries a page of 5,000 users ten times slower than
    // Electron's IPC, a local fetch about as fast (see answers in launchChromiumApp).
    invoke: (channel, input) =>
      globalThis
        .__passdeskInvoke(channel, input)
        .then((id) => fetch('/__ipc/' + id))
        .then((response) => response.json()),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const contextBridge = {
    exposeInMainWorld(key, value) {
      Object.defineProperty(globalThis, key, { value, enumerable: true });
    },
  };
  Object.defineProperty(globalThis, '__passdeskEmit', {
    value: (channel, payload) => {
      for (const listener of listeners.get(channel) ?? []) listener({}, payload);
    },
  });
  const require = (id) => {
    if (id === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('The preload may not require ' + id);
  };
  const module = { exports: {} };
  (function (require, module, exports) {
${preload}
  })(require, module, module.exports);
})();`;
}

/**
 * Serves the built renderer the way the app:// protocol does: same files, same headers. It also
 * hands out the IPC answers waiting in `answers`, each once, at /__ipc/<id>.
 */
async function serveRenderer(
  answers: Map<string, string>,
): Promise<{ server: Server; origin: string }> {
  const rendererDir = path.join(OUT, 'renderer');
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const answerId = /^\/__ipc\/([\w-]+)$/u.exec(url.pathname)?.[1];
    if (answerId !== undefined) {
      const answer = answers.get(answerId);
      answers.delete(answerId);
      response.writeHead(answer === undefined ? 404 : 200, {
        ...APP_SECURITY_HEADERS,
        'Content-Type': 'application/json',
      });
      response.end(answer);
      return;
    }
    void loadRendererAsset(rendererDir, url.href).then((asset) => {
      response.writeHead(request.method === 'GET' ? asset.status : 405, {
        ...APP_SECURITY_HEADERS,
        'Content-Type': asset.contentType,
      });
      response.end(request.method === 'GET' ? asset.body : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

export interface ChromiumApp {
  page: Page;
  core: AppCore;
  dataDir: string;
  logLines: string[];
  /** The URLs the app handed to the system browser (`openExternal`), oldest first. */
  openedUrls: string[];
  close(): Promise<void>;
}

const openedByPage = new WeakMap<Page, readonly string[]>();

/**
 * The URLs the app in this page handed to the system browser, for a spec to follow; null under
 * the Electron host, where `shell.openExternal` opens the real browser and nothing records it.
 */
export function openedUrlsOf(page: Page): readonly string[] | null {
  return openedByPage.get(page) ?? null;
}

export interface ChromiumAppOptions {
  /** The built-in backend's seed (demo by default). */
  seed?: 'demo' | `large:${number}`;
  /** The built-in backend's password hashing: cheap `test` by default, or the app's own. */
  hashCost?: 'test' | 'production';
  /** The built-in backend's clock (a manual one lets a spec move time on). */
  backendClock?: Clock;
  /** Told when each IPC call has been answered (benchmarks time the renderer from there). */
  onAnswered?: (channel: string, at: number) => void;
  /** Runs before the page loads (benchmarks install their observers here). */
  beforeLoad?: (page: Page) => Promise<unknown>;
}

export async function launchChromiumApp(
  browser: Browser,
  options: ChromiumAppOptions = {},
): Promise<ChromiumApp> {
  // Answers to IPC calls, as JSON text, until the page fetches them (see preloadInitScript).
  const answers = new Map<string, string>();
  const { server, origin } = await serveRenderer(answers);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const logLines: string[] = [];
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    productName: string;
    version: string;
  };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'passdesk-e2e-'));
  const openedUrls: string[] = [];
  openedByPage.set(page, openedUrls);
  const core = await createAppCore({
    name: pkg.productName,
    version: pkg.version,
    dataDir,
    rendererDir: path.join(OUT, 'renderer'),
    hashCost: options.hashCost ?? 'test',
    ...(options.backendClock === undefined ? {} : { backendClock: options.backendClock }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    settingsStorage: memorySettingsStorage(),
    credentialsStorage: memorySettingsStorage(),
    // Electron's safeStorage is not here: a real cipher with a key of this process stands in.
    tokenCipher: testTokenCipher(),
    osUser: () => 'e2e-tester',
    trustedOrigins: [origin],
    eventSink: (channel, payload) => {
      void page
        .evaluate(
          ([c, p]) =>
            (
              globalThis as unknown as { __passdeskEmit: (c: string, p: unknown) => void }
            ).__passdeskEmit(c, p),
          [channel, payload] as const,
        )
        .catch(() => undefined);
    },
    logger: createLogger({ sink: (line) => logLines.push(line) }),
    // The system browser, recorded instead of opened.
    openExternal: (url) => {
      openedUrls.push(url);
      return Promise.resolve();
    },
  });
  await page.exposeBinding('__passdeskInvoke', async (source, channel: unknown, input: unknown) => {
    const answer = await core.dispatcher.dispatch(String(channel), input, {
      frameUrl: source.frame.url(),
      isMainFrame: source.frame === source.page.mainFrame(),
      isOurWindow: source.page === page,
    });
    options.onAnswered?.(String(channel), Date.now());
    const id = randomUUID();
    answers.set(id, JSON.stringify(answer));
    return id;
  });
  await page.addInitScript({ content: preloadInitScript() });
  await options.beforeLoad?.(page);
  await page.goto(`${origin}/index.html`);
  return {
    page,
    core,
    dataDir,
    logLines,
    openedUrls,
    async close() {
      await context.close();
      await core.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
