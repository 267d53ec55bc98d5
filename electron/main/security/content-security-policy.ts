/**
 * The renderer's Content-Security-Policy. Production pages load only their own bundled
 * scripts and styles; nothing inline, no eval, no remote hosts, no frames, no plugins.
 */
const APP_CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // The grid's icon font ships as a data: URL inside its stylesheet.
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
];

/** As an HTTP header (the custom protocol and the test host send it with every response). */
export const APP_CSP = [...APP_CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/** As a `<meta>` tag in the built page; browsers ignore `frame-ancestors` there. */
export const APP_CSP_META = APP_CSP_DIRECTIVES.join('; ');

/**
 * The development server's policy: Vite's hot reload needs its inline bootstrap and a
 * WebSocket back to the dev server. Used only when `ELECTRON_RENDERER_URL` is set.
 */
export function devCsp(devServerOrigin: string): string {
  const ws = devServerOrigin.replace(/^http/u, 'ws');
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' ${devServerOrigin}`,
    `style-src 'self' 'unsafe-inline' ${devServerOrigin}`,
    `img-src 'self' data: ${devServerOrigin}`,
    `font-src 'self' ${devServerOrigin}`,
    `connect-src 'self' ${devServerOrigin} ${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Headers every renderer document and asset is served with. */
export const APP_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
});
