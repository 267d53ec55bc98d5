import { BrowserWindow } from 'electron';
import { hardenWebContents, type ExternalLinkPolicy } from './security/harden-web-contents.ts';

export interface MainWindowOptions {
  preloadPath: string;
  /** `app://passdesk/index.html` in production, the dev server's URL in development. */
  url: string;
  links: ExternalLinkPolicy;
  icon?: string;
}

/**
 * The one window factory: secure preferences (written out here so that static checks such as
 * Electronegativity can see them), hardened contents, shown once painted.
 */
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
    webPreferences: {
      preload: options.preloadPath,
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
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  });
  hardenWebContents(window.webContents, options.links);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}
