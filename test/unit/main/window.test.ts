import type { Shell, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FakeApp,
  FakeBrowserWindow,
  FakeSession,
  FakeShell,
  FakeWebContents,
  fakeEvent,
} from '../../fakes/electron.ts';

vi.mock('electron', async () => {
  const fakes = await import('../../fakes/electron.ts');
  const electron = { BrowserWindow: fakes.FakeBrowserWindow };
  return { ...electron, default: electron };
});

const { createMainWindow } = await import('../../../electron/main/window.ts');
const { denyAllPermissions, hardenWebContents, installWebContentsGuard } =
  await import('../../../electron/main/security/harden-web-contents.ts');

let shell: FakeShell;
const links = () => ({ allowedHosts: ['docs.example.com'], shell: shell as unknown as Shell });

beforeEach(() => {
  shell = new FakeShell();
  FakeBrowserWindow.instances.length = 0;
});

function openWindow(): FakeBrowserWindow {
  createMainWindow({
    preloadPath: '/app/out/preload/index.cjs',
    url: 'app://passdesk/index.html',
    links: links(),
  });
  const window = FakeBrowserWindow.instances.at(-1);
  if (window === undefined) throw new Error('no window was created');
  return window;
}

describe('the main window factory', () => {
  it('turns on every isolation setting and turns off every Node door', () => {
    const prefs = openWindow().options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('loads the given app URL and shows the window once painted', () => {
    const window = openWindow();
    expect(window.loadedUrls).toEqual(['app://passdesk/index.html']);
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('denies every new window and sends only allow-listed https links to the browser', () => {
    const contents = openWindow().webContents;
    const open = (url: string) => contents.openHandler?.({ url } as Electron.HandlerDetails);
    expect(open('https://docs.example.com/reset')).toEqual({ action: 'deny' });
    expect(open('https://evil.example.net/')).toEqual({ action: 'deny' });
    expect(open('http://docs.example.com/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open('https://user:pw@docs.example.com/')).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://docs.example.com/reset']);
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview'])(
    'blocks %s',
    (event) => {
      const contents = openWindow().webContents;
      const e = fakeEvent({ url: 'https://evil.example.net/' });
      contents.emit(event, e);
      expect(e.defaultPrevented).toBe(true);
    },
  );

  it('lets a subframe load only inline content (the Outbox’s sandboxed email)', () => {
    const contents = openWindow().webContents;
    const navigate = (url: string, isMainFrame: boolean) => {
      const e = fakeEvent({ url, isMainFrame });
      contents.emit('will-frame-navigate', e);
      return e.defaultPrevented;
    };
    expect(navigate('about:srcdoc', false)).toBe(false);
    expect(navigate('about:blank', false)).toBe(false);
    expect(navigate('about:srcdoc', true)).toBe(true);
    expect(navigate('https://evil.example.net/', false)).toBe(true);
    expect(navigate('app://passdesk/index.html', false)).toBe(true);
  });
});

describe('the web-contents guard', () => {
  it('hardens every webContents created later, once', () => {
    const app = new FakeApp();
    installWebContentsGuard(app as unknown as Electron.App, links());
    const other = new FakeWebContents();
    app.emit('web-contents-created', fakeEvent(), other);
    app.emit('web-contents-created', fakeEvent(), other);
    expect(
      other.openHandler?.({ url: 'https://docs.example.com/' } as Electron.HandlerDetails),
    ).toEqual({
      action: 'deny',
    });
    expect(other.count('will-navigate')).toBe(1);
    const navigation = fakeEvent();
    other.emit('will-navigate', navigation);
    expect(navigation.defaultPrevented).toBe(true);
  });

  it('does not harden the same contents twice', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as unknown as WebContents, links());
    hardenWebContents(contents as unknown as WebContents, links());
    expect(contents.count('will-navigate')).toBe(1);
  });
});

describe('permissions', () => {
  it('refuses every request and every check', () => {
    const session = new FakeSession();
    denyAllPermissions(session as unknown as Electron.Session);
    for (const permission of [
      'media',
      'notifications',
      'clipboard-read',
      'geolocation',
      'openExternal',
    ]) {
      const callback = vi.fn<(granted: boolean) => void>();
      session.requestHandler?.({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.checkHandler?.({}, permission)).toBe(false);
    }
    expect(session.deviceHandler?.({})).toBe(false);
  });
});
