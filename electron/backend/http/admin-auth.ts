import type { Context, MiddlewareHandler } from 'hono';
import type { AdminTokens } from '../admin-tokens/admin-tokens.ts';
import { ApiFailure } from '../errors.ts';
import { clientKey, type ClientAddressOf } from './client-address.ts';
import { createFailureCount, tooManyRequests, type RateLimit } from './rate-limit.ts';
import { bearerToken } from './request.ts';
import type { SecurityLog } from './security-log.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by requireAdminToken: the name of the admin token the request was verified with. */
    adminTokenName: string;
  }
}

/** The name of the admin token this request was verified with; undefined off the admin API. */
export const verifiedTokenName = (c: Context): string | undefined =>
  (c.var as { adminTokenName?: string }).adminTokenName;

export interface AdminAuthDeps {
  tokens: AdminTokens;
  /** Wrong admin tokens allowed per client and window before that client is locked. */
  failureLimit: RateLimit;
  clientOf: ClientAddressOf;
  securityLog: SecurityLog;
}

/**
 * 401 unless the request's bearer token is one of the admin tokens (compared in constant time,
 * see AdminTokens), whose name it then sets for the request (`verifiedTokenName`); wrong tokens
 * are counted per client, a wrong token being one that is none of them.
 *
 * Once a client has sent `failureLimit.points` wrong tokens in a window, every request from it is
 * answered 429 until that window ends, the right token too: were the token still checked, each
 * further guess would still be answered, and the limit would not slow guessing at all. What keeps
 * that lock from being turned against an operator who shares the address:
 * - it is per client (the proxy's client with `trustProxy`), so other clients are never slowed;
 * - the allowance is generous (20 a minute by default), so typing mistakes or a client left with
 *   an old token never lock anyone, and only a deliberate flood does;
 * - it lasts one window at most after the last checked failure and is not extended by requests
 *   refused while locked, nor by a longer `blockDuration`: with 256-bit tokens, 20 guesses a
 *   minute are already hopeless, and a longer block would only lengthen the outage;
 * - a success does not clear the count: on a shared address it would reset the guesser's too.
 * A request with no token at all is no guess; it gets 401 without being counted.
 */
export function requireAdminToken(deps: AdminAuthDeps): MiddlewareHandler {
  const failures = createFailureCount(deps.failureLimit);
  const window = deps.failureLimit.windowSeconds;
  const logFailure = deps.securityLog.repeated('admin-auth-failure', window);
  const logLocked = deps.securityLog.repeated('admin-auth-locked', window);
  const locked = (seconds: number) =>
    tooManyRequests(seconds, 'Too many wrong admin tokens came from this address');

  return async (c, next) => {
    const client = deps.clientOf(c);
    const key = clientKey(client);
    const wait = await failures.lockedFor(key);
    if (wait > 0) {
      logLocked(client, { retryAfterSeconds: wait });
      throw locked(wait);
    }
    const token = bearerToken(c);
    const name = token === null ? null : deps.tokens.nameOf(token);
    if (name !== null) {
      c.set('adminTokenName', name);
      await next();
      return;
    }
    if (token !== null) {
      const counted = await failures.fail(key);
      logFailure(client, { failures: counted.failures });
      if (counted.lockedFor > 0) {
        logLocked(client, { failures: counted.failures, retryAfterSeconds: counted.lockedFor });
        // A failure counted over the limit (requests racing past the check above) gets no answer.
        if (counted.failures > deps.failureLimit.points) throw locked(counted.lockedFor);
      }
    }
    throw new ApiFailure(401, 'unauthorized', 'A valid admin token is required.');
  };
}
