import type { MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import { secureHeaders } from 'hono/secure-headers';

/** The end user's page: its own scripts and styles, its own API, nothing else. */
export const RESET_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** A year, with subdomains: the reset page's origin is served over https only. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Every response: no referrer, no caching, a strict CSP (the page's, or none at all for the
 * API), no sniffing, no framing, its own browsing context group (COOP), no powerful features
 * (Permissions-Policy), and HSTS when the public address is https (behind a TLS proxy too, where
 * the backend itself speaks http). hono's `secureHeaders` sets all but the CSP and caching.
 */
export function securityHeaders(options: { https: boolean }): MiddlewareHandler {
  const base = secureHeaders({
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    strictTransportSecurity: options.https ? HSTS : false,
    permissionsPolicy: {
      camera: [],
      microphone: [],
      geolocation: [],
      payment: [],
      usb: [],
      serial: [],
      hid: [],
      bluetooth: [],
      displayCapture: [],
      fullscreen: [],
    },
  });
  const pageOrApi: MiddlewareHandler = async (c, next) => {
    await next();
    const html = (c.res.headers.get('content-type') ?? '').startsWith('text/html');
    c.res.headers.set('Cache-Control', 'no-store');
    c.res.headers.set('Content-Security-Policy', html ? RESET_PAGE_CSP : API_CSP);
  };
  return every(base, pageOrApi);
}
