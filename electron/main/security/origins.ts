/** The custom scheme and host the production renderer is served from (never `file://`). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'passdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `scheme://host[:port]` of a URL, or null. Node's `URL.origin` is "null" for custom schemes,
 * so the origin is rebuilt from its parts.
 */
export function originOf(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.host === '') return null;
  return `${parsed.protocol}//${parsed.host}`;
}

/** Who sent an IPC message, as far as the security checks need to know. */
export interface IpcSender {
  /** URL of the frame that sent it; empty when the frame is gone. */
  frameUrl: string;
  /** Whether it came from the top frame of its page (not an iframe). */
  isMainFrame: boolean;
  /** Whether the page belongs to one of our own windows. */
  isOurWindow: boolean;
}

/** A sender is trusted when it is the top frame of our window at one of our origins. */
export function isTrustedSender(sender: IpcSender, trustedOrigins: readonly string[]): boolean {
  const origin = originOf(sender.frameUrl);
  return (
    sender.isOurWindow && sender.isMainFrame && origin !== null && trustedOrigins.includes(origin)
  );
}

/**
 * Links that may leave the app go to the system browser: https only, to an allow-listed host,
 * without credentials in the URL. Everything else is refused.
 */
export function isAllowedExternalUrl(url: string, allowedHosts: readonly string[]): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    allowedHosts.includes(parsed.hostname.toLowerCase())
  );
}
