/**
 * The email's own policy, on top of the one the frame inherits from the app page: nothing may
 * load or run, inline styles aside.
 */
export const EMAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/gu, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The document a sandboxed frame shows for an email: its HTML part (else its text), with a
 * strict CSP first in its head, and its links inert (no href: a click goes nowhere; the Reset
 * link is opened by the main process instead). Parsing with DOMParser runs nothing.
 */
export function emailDocument(email: { html: string; text: string }): string {
  const source =
    email.html.trim() === ''
      ? `<!doctype html><html><head></head><body>${escapeHtml(email.text).replace(/\r?\n/gu, '<br>')}</body></html>`
      : email.html;
  const doc = new DOMParser().parseFromString(source, 'text/html');
  for (const element of doc.querySelectorAll(
    'script, iframe, frame, object, embed, base, meta[http-equiv], link',
  ))
    element.remove();
  for (const link of doc.querySelectorAll('[href]')) link.removeAttribute('href');
  const csp = doc.createElement('meta');
  csp.httpEquiv = 'Content-Security-Policy';
  csp.content = EMAIL_CSP;
  doc.head.prepend(csp);
  return `<!doctype html>\n${doc.documentElement.outerHTML}`;
}
