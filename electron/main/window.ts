import { BrowserWindow, type WebPreferences } from 'electron';
import { hardenWebContents, type ExternalLinkPolicy } from './security/harden-web-contents.ts';

/** The webPreferences every PassDesk window gets; a test asserts each one. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export interface MainWindowOptions {
  preloadPath: string;
  /** `app://passdesk/index.html` in production, the dev server's URL in development. */
  url: string;
  links: ExternalLinkPolicy;
  icon?: string;
}

/** The one window factory: secure preferences, hardened contents, shown when painted. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'PassDesk',
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#f6f7f9',
    ...(options.icon === undefined ? {} : { icon: options.icon }),
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  hardenWebContents(window.webContents, options.links);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}
