import type { z } from 'zod';
import {
  ApiError,
  API_PREFIX,
  SelfServicePasscodeResult,
  SelfServicePasswordResult,
  SelfServiceSession,
} from '../../../shared/api/index.ts';

/** What the page can run into besides success. */
export type Problem =
  | { kind: 'expired'; message: string }
  | { kind: 'used'; message: string }
  | { kind: 'rate-limited'; message: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'unreachable'; message: string };

export type Answer<T> = { ok: true; data: T } | { ok: false; problem: Problem };

/** The token is the last part of the page's path: /reset/<token>. */
export function tokenFromLocation(pathname: string): string {
  return decodeURIComponent(pathname.split('/').filter(Boolean).at(-1) ?? '');
}

async function call<S extends z.ZodType>(
  token: string,
  method: 'GET' | 'POST',
  path: string,
  schema: S,
  body?: unknown,
): Promise<Answer<z.infer<S>>> {
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}${path}`, {
      method,
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
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = schema.safeParse(json);
    if (parsed.success) return { ok: true, data: parsed.data };
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
  if (response.status === 429) return { ok: false, problem: { kind: 'rate-limited', message } };
  return { ok: false, problem: { kind: 'invalid', message } };
}

export const resetApi = {
  session: (token: string) => call(token, 'GET', '/self-service/session', SelfServiceSession),
  changePassword: (token: string, password: string, confirmation: string) =>
    call(token, 'POST', '/self-service/password', SelfServicePasswordResult, {
      password,
      confirmation,
    }),
  generatePasscode: (token: string) =>
    call(token, 'POST', '/self-service/passcode', SelfServicePasscodeResult),
};
