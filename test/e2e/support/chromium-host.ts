import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server, type ServerResponse } from 'node:http';
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
/** An answer's frame on the stream to the page: the call id, padded, then 12 digits of length. */
const FRAME_ID_BYTES = 36;
const FRAME_HEADER_BYTES = FRAME_ID_BYTES + 12;

/**
 * Runs the built preload in the page with a stand-in for `require('electron')`: its
 * `contextBridge` defines `window.api`, its `ipcRenderer` talks to the test process through a
 * Playwright binding. So the page gets the very `window.api` the Electron preload builds.
 */
function preloadInitScript(): string {
  const preload = readFileSync(path.join(OUT, 'preload', 'index.cjs'), 'utf8');
  return `(() => {
  // As in Electron, the preload runs in the main frame only (an email's sandboxed frame gets none).
  if (window !== window.top) return;
  const listeners = new Map();
  // Answers by call id: those that came before their call's id did, and calls waiting for one.
  const arrived = new Map();
  const waiting = new Map();
  const deliver = (id, text) => {
    const resolve = waiting.get(id);
    waiting.delete(id);
    if (resolve === undefined) arrived.set(id, text);
    else resolve(JSON.parse(text));
  };
  // One stream of frames: a ${FRAME_HEADER_BYTES}-byte header (call id, then the answer's length in
  // bytes), then the answer as JSON. Chunks are joined only once a whole frame is there.
  void (async () => {
    const reader = (await fetch('/__ipc/answers')).body.getReader();
    const decoder = new TextDecoder();
    const chunks = [];
    let have = 0;
    let frame = null;
    const take = (n) => {
      const out = new Uint8Array(n);
      for (let at = 0; at < n; ) {
        const chunk = chunks[0];
        const part = Math.min(chunk.length, n - at);
        out.set(chunk.subarray(0, part), at);
        at += part;
        if (part === chunk.length) chunks.shift();
        else chunks[0] = chunk.subarray(part);
      }
      have -= n;
      return out;
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      chunks.push(value);
      have += value.length;
      for (;;) {
        if (frame === null) {
          if (have < ${FRAME_HEADER_BYTES}) break;
          const header = decoder.decode(take(${FRAME_HEADER_BYTES}));
          frame = { id: header.slice(0, ${FRAME_ID_BYTES}).trim(), bytes: Number(header.slice(${FRAME_ID_BYTES})) };
        }
        if (have < frame.bytes) break;
        deliver(frame.id, decoder.decode(take(frame.bytes)));
        frame = null;
      }
    }
  })();
  const ipcRenderer = {
    // The call goes through the binding, its answer comes back over HTTP from the page's own
    // server, pushed down one event stream the moment main has it: Playwright's binding carries
    // a page of 5,000 users ten times slower than Electron's IPC, and fetching each answer
    // afterwards waits for main's thread a second time (see IpcAnswers in launchChromiumApp).
    invoke: (channel, input) =>
      globalThis.__passdeskInvoke(channel, input).then(
        (id) =>
          new Promise((resolve) => {
            const text = arrived.get(id);
            arrived.delete(id);
            if (text === undefined) waiting.set(id, resolve);
            else resolve(JSON.parse(text));
          }),
      ),
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
 * The IPC answers on their way to the page: one event stream (`/__ipc/answers`, opened by the
 * page as it starts), each answer written to it as soon as main has it, by call id. Answers
 * given while no stream is open (before the page's opens, during a reload) wait for the next.
 */
function ipcAnswers() {
  let stream: ServerResponse | null = null;
  const queued: string[] = [];
  return {
    connect(response: ServerResponse): void {
      response.writeHead(200, {
        ...APP_SECURITY_HEADERS,
        'Content-Type': 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      stream = response;
      response.on('close', () => {
        if (stream === response) stream = null;
      });
      for (const message of queued.splice(0)) response.write(message);
    },
    send(id: string, json: string): void {
      const header = id.padEnd(FRAME_ID_BYTES) + String(Buffer.byteLength(json)).padStart(12);
      const message = header + json;
      if (stream === null) queued.push(message);
      else stream.write(message);
    },
  };
}
type IpcAnswers = ReturnType<typeof ipcAnswers>;

/**
 * Serves the built renderer the way the app:// protocol does: same files, same headers. It also
 * streams the IPC answers to the page at /__ipc/answers.
 */
async function serveRenderer(answers: IpcAnswers): Promise<{ server: Server; origin: string }> {
  const rendererDir = path.join(OUT, 'renderer');
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/__ipc/answers') {
      answers.connect(response);
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
  // Answers to IPC calls go to the page as JSON text (see preloadInitScript).
  const answers = ipcAnswers();
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
    answers.send(id, JSON.stringify(answer));
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
