import type { Protocol } from 'electron';
import { loadRendererAsset, NOT_FOUND_ASSET } from './renderer-assets.ts';
import { APP_SECURITY_HEADERS } from './security/content-security-policy.ts';
import { APP_HOST, APP_SCHEME } from './security/origins.ts';

/**
 * Must run before the app is ready: makes `app://` a secure, standard scheme, with V8's code
 * cache (Electron caches compiled scripts for http(s) only, unless a scheme asks): from the
 * second start on, the window's bundle is not compiled again while the users are read.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/**
 * Serves the built renderer from `rendererDir` at `app://passdesk/…`, with the app's security
 * headers on every response. Other hosts and paths outside the folder are 404.
 */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const host = URL.canParse(request.url) ? new URL(request.url).host : '';
    const asset =
      host === APP_HOST && request.method === 'GET'
        ? await loadRendererAsset(rendererDir, request.url)
        : NOT_FOUND_ASSET;
    return new Response(new Uint8Array(asset.body), {
      status: asset.status,
      headers: { ...APP_SECURITY_HEADERS, 'Content-Type': asset.contentType },
    });
  });
}
