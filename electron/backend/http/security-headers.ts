import type { MiddlewareHandler } from 'hono';

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

/** Every response: no referrer, no caching, a strict CSP, no sniffing, no framing. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const html = (c.res.headers.get('content-type') ?? '').startsWith('text/html');
  c.res.headers.set('Referrer-Policy', 'no-referrer');
  c.res.headers.set('Cache-Control', 'no-store');
  c.res.headers.set('Content-Security-Policy', html ? RESET_PAGE_CSP : API_CSP);
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
  c.res.headers.set('X-Frame-Options', 'DENY');
  c.res.headers.set('Cross-Origin-Resource-Policy', 'same-origin');
};
