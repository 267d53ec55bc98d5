import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invokeContract } from '../../../shared/ipc/index.ts';
import {
  FakeApp,
  FakeBrowserWindow,
  FakeIpcMain,
  FakeMenu,
  FakeProtocol,
  FakeSafeStorage,
  FakeSession,
  FakeShell,
} from '../../fakes/electron.ts';

/** The app object as the composition root uses it, with a lock and a ready signal we control. */
class TestApp extends FakeApp {
  gotLock = true;
  quitCalled = false;
  readonly order: string[] = [];
  private markReady: () => void = () => undefined;
  private readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));
  readonly isPackaged = true;
  readonly logs = mkdtempSync(path.join(tmpdir(), 'passdesk-root-'));

  requestSingleInstanceLock = () => this.gotLock;
  quit = () => {
    this.quitCalled = true;
  };
  whenReady = () => this.ready;
  getPath = () => this.logs;
  setPath = () => undefined;
  setAppLogsPath = () => undefined;
  getName = () => 'PassDesk';
  getVersion = () => '0.1.0';
  becomeReady(): Promise<void> {
    this.markReady();
    return this.ready;
  }
  override on(event: string, listener: (...args: unknown[]) => unknown): this {
    this.order.push(`on:${event}`);
    return super.on(event, listener);
  }
}

let electron: {
  app: TestApp;
  protocol: FakeProtocol;
  session: { defaultSession: FakeSession & { webRequest: { onHeadersReceived: () => void } } };
  shell: FakeShell;
  ipcMain: FakeIpcMain;
  safeStorage: FakeSafeStorage;
  BrowserWindow: typeof FakeBrowserWindow;
  Menu: FakeMenu;
};

// Getters, so each test's fresh fakes are what a freshly imported composition root sees.
vi.mock('electron', () =>
  Object.defineProperties(
    {},
    Object.fromEntries(
      [
        'app',
        'protocol',
        'session',
        'shell',
        'ipcMain',
        'safeStorage',
        'BrowserWindow',
        'Menu',
        'default',
      ].map((key) => [
        key,
        {
          enumerable: true,
          get: () => (key === 'default' ? electron : electron[key as keyof typeof electron]),
        },
      ]),
    ),
  ),
);

beforeEach(() => {
  vi.resetModules();
  FakeBrowserWindow.instances.length = 0;
  const defaultSession = Object.assign(new FakeSession(), {
    webRequest: { onHeadersReceived: vi.fn() },
  });
  electron = {
    app: new TestApp(),
    protocol: new FakeProtocol(),
    session: { defaultSession },
    shell: new FakeShell(),
    ipcMain: new FakeIpcMain(),
    safeStorage: new FakeSafeStorage(),
    BrowserWindow: FakeBrowserWindow,
    Menu: new FakeMenu(),
  };
});

describe('the composition root', () => {
  it('guards, registers the scheme before ready, then wires IPC and opens the window', async () => {
    await import('../../../electron/main/index.ts');
    const { app, protocol, session, ipcMain } = electron;

    expect(app.order).toContain('on:web-contents-created');
    expect(protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
    expect(protocol.handlers.size).toBe(0);
    expect(FakeBrowserWindow.instances).toHaveLength(0);

    await app.becomeReady();
    await vi.waitFor(() => expect(FakeBrowserWindow.instances).toHaveLength(1));

    expect(protocol.handlers.has('app')).toBe(true);
    expect(session.defaultSession.requestHandler).not.toBeNull();
    expect(session.defaultSession.checkHandler).not.toBeNull();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(
      Object.values(invokeContract)
        .map((spec) => spec.channel)
        .sort(),
    );
    const [window] = FakeBrowserWindow.instances;
    expect(window?.loadedUrls).toEqual(['app://passdesk/index.html']);
    expect(window?.options.webPreferences?.preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(session.defaultSession.webRequest.onHeadersReceived).not.toHaveBeenCalled();
    // A packaged app's own menu: no window reload, no developer tools.
    const menu = JSON.stringify(electron.Menu.applied);
    expect(menu).toContain('editMenu');
    expect(menu).not.toContain('toggleDevTools');
    expect(menu).not.toContain('"reload"');
  });

  it('quits at once when another instance holds the lock', async () => {
    electron.app.gotLock = false;
    await import('../../../electron/main/index.ts');
    await electron.app.becomeReady();
    expect(electron.app.quitCalled).toBe(true);
    expect(electron.app.order).toEqual([]);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });
});
