import type { App, Session, Shell, WebContents } from 'electron';
import { isAllowedExternalUrl } from './origins.ts';

export interface ExternalLinkPolicy {
  /** Hosts whose https links may open in the system browser. */
  allowedHosts: readonly string[];
  shell: Pick<Shell, 'openExternal'>;
}

const hardened = new WeakSet<WebContents>();

/**
 * Locks one webContents down: no new windows (allow-listed https links go to the system
 * browser instead), no navigation or redirect away from the loaded page, no webviews.
 */
export function hardenWebContents(contents: WebContents, links: ExternalLinkPolicy): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.setWindowOpenHandler(({ url }) => {
    // Reviewed: only https URLs to allow-listed hosts, without credentials, get this far.
    if (isAllowedExternalUrl(url, links.allowedHosts)) {
      void links.shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
    }
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  // A subframe may load only inline content: the Outbox shows an email in a sandboxed srcdoc
  // frame. Every other frame navigation, and any of the main frame, is refused.
  contents.on('will-frame-navigate', (event) => {
    const inline = event.url === 'about:srcdoc' || event.url === 'about:blank';
    if (event.isMainFrame || !inline) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Refuses every permission request and check (camera, notifications, clipboard-read, …). */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** The global guard: every webContents ever created gets hardened, not just our window's. */
export function installWebContentsGuard(app: Pick<App, 'on'>, links: ExternalLinkPolicy): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, links));
}
