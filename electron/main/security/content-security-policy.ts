import { createHash } from 'node:crypto';
import {
  adminResetNoticeEmail,
  changeConfirmationEmail,
  recoveryEmail,
} from '../../backend/mail/templates.ts';

/**
 * The `style` attributes of the built-in backend's emails, as CSP hashes. The Outbox shows an
 * email in a sandboxed srcdoc frame, which inherits this page's policy: these let exactly those
 * inline styles apply there (and change nothing else), so the email looks as its recipient
 * sees it. Read from the templates themselves, so they follow any change to them.
 */
function emailStyleHashes(): string[] {
  const at = new Date(0);
  const emails = [
    recoveryEmail({
      firstName: 'A',
      email: 'a@b.c',
      link: 'https://a/',
      validMinutes: 1,
      orgName: 'O',
    }),
    // Its stored copy, once the link is taken out (used, voided, expired or sent by SMTP).
    recoveryEmail({
      firstName: 'A',
      email: 'a@b.c',
      link: { removed: 'x' },
      validMinutes: 1,
      orgName: 'O',
    }),
    changeConfirmationEmail({ firstName: 'A', what: 'applicationPassword', at, orgName: 'O' }),
    changeConfirmationEmail({ firstName: 'A', what: 'voicePortalPasscode', at, orgName: 'O' }),
    adminResetNoticeEmail({
      firstName: 'A',
      what: ['applicationPassword', 'voicePortalPasscode'],
      temporary: true,
      at,
      orgName: 'O',
    }),
  ];
  const styles = new Set(
    emails.flatMap(({ html }) => [...html.matchAll(/\sstyle="([^"]*)"/gu)].map((m) => m[1] ?? '')),
  );
  return [...styles]
    .sort()
    .map((style) => `'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`);
}

/**
 * The renderer's Content-Security-Policy. Production pages load only their own bundled
 * scripts and styles; nothing inline (but the built-in backend's email styles, by hash), no
 * eval, no remote hosts, no frames but srcdoc ones, no plugins.
 */
const APP_CSP_DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  `style-src-attr 'unsafe-hashes' ${emailStyleHashes().join(' ')}`,
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
