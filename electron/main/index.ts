/**
 * The composition root: single-instance lock → error handlers → security guards → ready →
 * services → IPC → window. No business logic lives here.
 */
import { userInfo } from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, dialog, Menu, protocol, safeStorage, session, shell } from 'electron';
import { createLogger } from '../../shared/log/index.ts';
import { installAppMenu } from './app-menu.ts';
import { registerAppScheme, serveAppProtocol } from './app-protocol.ts';
import { installGlobalErrorHandlers } from './global-errors.ts';
import { createAppCore } from './app-core.ts';
import { registerIpc, windowEventSink } from './ipc/register.ts';
import { devCsp } from './security/content-security-policy.ts';
import {
  denyAllPermissions,
  installWebContentsGuard,
  type ExternalLinkPolicy,
} from './security/harden-web-contents.ts';
import { APP_ENTRY_URL, APP_ORIGIN, originOf } from './security/origins.ts';
import { electronStoreStorage } from './adapters/electron-store-storage.ts';
import { safeStorageCipher } from './adapters/safe-storage-cipher.ts';
import { fileLogSink } from './services/log-file.ts';
import { createMainWindow } from './window.ts';
import { watchRenderer } from './crash-policy.ts';
import type { NoticeBoard } from './services/notices.ts';

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const devOrigin = devServerUrl === undefined ? null : originOf(devServerUrl);
const links: ExternalLinkPolicy = { allowedHosts: [], shell };

// A separate profile (its own settings, data and single-instance lock), e.g. for a second
// help-desk identity or for end-to-end tests: PASSDESK_DATA_DIR=/path/to/profile.
const profileDir = process.env.PASSDESK_DATA_DIR;
if (profileDir !== undefined && profileDir !== '') {
  app.setPath('userData', path.resolve(profileDir));
  app.setAppLogsPath(path.join(path.resolve(profileDir), 'logs'));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const logger = createLogger({
    sink: fileLogSink(path.join(app.getPath('logs'), 'main.log'), devServerUrl !== undefined),
  });
  // Main's unexpected errors reach the operator as a notice once the core is up.
  let notices: NoticeBoard | null = null;
  installGlobalErrorHandlers(app, logger, (message) => notices?.post('main-error', message));
  installWebContentsGuard(app, links);
  registerAppScheme(protocol);

  const windows = new Set<number>();
  const isOurWindow = (id: number): boolean => windows.has(id);

  const openWindow = (board: NoticeBoard): void => {
    const window = createMainWindow({
      preloadPath: path.join(import.meta.dirname, '../preload/index.cjs'),
      url: devServerUrl ?? APP_ENTRY_URL,
      links,
    });
    watchRenderer(window.webContents, {
      notices: board,
      logger,
      giveUp: (message) => dialog.showErrorBox('PassDesk', message),
    });
    const id = window.webContents.id;
    windows.add(id);
    window.on('closed', () => windows.delete(id));
  };

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window === undefined) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession);
    installAppMenu(Menu, { platform: process.platform, development: !app.isPackaged });
    serveAppProtocol(protocol, path.join(import.meta.dirname, '../renderer'));
    if (devOrigin !== null) {
      const policy = devCsp(devOrigin);
      session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
        callback({
          responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] },
        }),
      );
    }

    const core = await createAppCore({
      name: app.getName(),
      version: app.getVersion(),
      dataDir: app.getPath('userData'),
      rendererDir: path.join(import.meta.dirname, '../renderer'),
      settingsStorage: electronStoreStorage('settings', { logger }),
      credentialsStorage: electronStoreStorage('credentials', { logger }),
      tokenCipher: safeStorageCipher(safeStorage, process.platform),
      osUser: () => userInfo().username,
      trustedOrigins: devOrigin === null ? [APP_ORIGIN] : [APP_ORIGIN, devOrigin],
      eventSink: windowEventSink(isOurWindow),
      logger,
      // Reviewed: only the Outbox's Reset links get here, each checked in the outbox service to
      // point at the built-in backend's own origin (http://127.0.0.1:<port>/reset/<token>).
      openExternal: (url) => shell.openExternal(url) /* eng-disable OPEN_EXTERNAL_JS_CHECK */,
    });
    registerIpc(core.dispatcher, isOurWindow);
    notices = core.notices;
    // Quit after the core has stopped: queued batches become "not sent", batches in flight
    // finish and are journalled, the built-in backend closes its database.
    let closed = false;
    app.on('will-quit', (event) => {
      if (closed) return;
      event.preventDefault();
      void core.close().finally(() => {
        closed = true;
        app.quit();
      });
    });

    openWindow(core.notices);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow(core.notices);
    });
  });
}
