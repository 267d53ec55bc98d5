import type { z } from 'zod';
import {
  ApiError,
  API_PREFIX,
  apiRoutes,
  type ApiRoutes,
  type BodyOf,
  type ResponseOf,
  type RouteName,
} from '../../../shared/api/index.ts';

/** What the page can run into besides success. */
export type Problem =
  | { kind: 'expired'; message: string }
  | { kind: 'used'; message: string }
  /** The server asks the page to wait `retryAfterSeconds` (null when it did not say). */
  | { kind: 'rate-limited'; message: string; retryAfterSeconds: number | null }
  | { kind: 'invalid'; message: string }
  | { kind: 'unreachable'; message: string }
  /** The page was reloaded after it took the token out of the address bar. */
  | { kind: 'reopen'; message: string };

export type Answer<T> = { ok: true; data: T } | { ok: false; problem: Problem };

/** `1 second`, `45 seconds`, `3 minutes` (from 90 seconds on): how long, in words. */
export function waitInWords(seconds: number): string {
  if (seconds < 90) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** What the page says while the server refuses it for too many requests. */
export function rateLimitedMessage(seconds: number | null): string {
  const wait = seconds === null ? 'a minute' : waitInWords(seconds);
  return `Too many attempts were made in a short time, so this page has to pause. Please wait ${wait}, then try again.`;
}

/** Retry-After in seconds (the server sends seconds, never a date), or null. */
function retryAfterOf(response: Response): number | null {
  const seconds = Number(response.headers.get('retry-after') ?? '');
  return Number.isInteger(seconds) && seconds > 0 ? seconds : null;
}

/** What the address bar shows once the page has read its link's token (see main.tsx). */
export const OPENED = 'opened';

/** The token is the last part of the page's path: /reset/<token>. */
export function tokenFromLocation(pathname: string): string {
  return decodeURIComponent(pathname.split('/').filter(Boolean).at(-1) ?? '');
}

/** The routes this page may call: those a recovery link's token opens. */
type SelfServiceRoute = {
  [R in RouteName]: ApiRoutes[R]['auth'] extends 'recovery' ? R : never;
}[RouteName];

/** Calls `route` as its spec in shared/api says (method, path, response schema). */
async function call<R extends SelfServiceRoute>(
  token: string,
  route: R,
  body?: BodyOf<R>,
): Promise<Answer<ResponseOf<R>>> {
  const spec = apiRoutes[route];
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}${spec.path}`, {
      method: spec.method.toUpperCase(),
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    return {
      ok: false,
      problem: {
        kind: 'unreachable',
        message: 'The server cannot be reached. Check your connection and try again.',
      },
    };
  }
  if (response.status === 429) {
    // The page's own words: the answer may not even be the backend's (a proxy's, say).
    const retryAfterSeconds = retryAfterOf(response);
    return {
      ok: false,
      problem: {
        kind: 'rate-limited',
        message: rateLimitedMessage(retryAfterSeconds),
        retryAfterSeconds,
      },
    };
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) {
    // The route's own schema; typed as the union of the three, so its output is named here.
    const parsed = (spec.response as z.ZodType).safeParse(json);
    if (parsed.success) return { ok: true, data: parsed.data as ResponseOf<R> };
    return {
      ok: false,
      problem: {
        kind: 'invalid',
        message: 'The server sent an answer this page does not understand.',
      },
    };
  }
  const error = ApiError.safeParse(json);
  const message = error.success
    ? error.data.error.message
    : `The server answered ${response.status}.`;
  if (response.status === 410) return { ok: false, problem: { kind: 'expired', message } };
  if (response.status === 409) return { ok: false, problem: { kind: 'used', message } };
  return { ok: false, problem: { kind: 'invalid', message } };
}

export const resetApi = {
  session: (token: string) => call(token, 'selfServiceSession'),
  changePassword: (token: string, password: string, confirmation: string) =>
    call(token, 'selfServicePassword', { password, confirmation }),
  generatePasscode: (token: string) => call(token, 'selfServicePasscode'),
};
