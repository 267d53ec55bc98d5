import type { Context, MiddlewareHandler } from 'hono';
import { tokenHash } from '../crypto/tokens.ts';
import { ApiFailure } from '../errors.ts';
import { clientKey, type ClientAddressOf } from './client-address.ts';
import { createBudget, createFailureCount, tooManyRequests, type RateLimit } from './rate-limit.ts';
import { bearerToken } from './request.ts';
import type { SecurityLog } from './security-log.ts';

export interface SelfServiceLimitDeps {
  /** Page loads per client, and API calls per link, per window. */
  useLimit: RateLimit;
  /** Tokens that open no live link, per client and window, before the client is locked. */
  failureLimit: RateLimit;
  clientOf: ClientAddressOf;
  /** Throws the 410 of a token that opens no live link. */
  checkLink: (token: string) => void;
  securityLog: SecurityLog;
}

/** Links opened from a client stay known this long (longer than any link lives). */
const OPENED_TTL_MS = 24 * 3600_000;
/** At most this many are remembered; the oldest go first. */
const OPENED_MAX = 50_000;

/** Which links were opened from which client, for `OPENED_TTL_MS`. */
function createOpenedLinks() {
  const opened = new Map<string, number>();
  return {
    has: (key: string): boolean => (opened.get(key) ?? 0) > Date.now(),
    add(key: string): void {
      opened.delete(key);
      opened.set(key, Date.now() + OPENED_TTL_MS);
      for (const [oldest, until] of opened) {
        if (opened.size <= OPENED_MAX && until > Date.now()) break;
        opened.delete(oldest);
      }
    },
  };
}

/**
 * The end user's limits, built so that no one can spend another's:
 *
 * - `pageLoads`: loading the reset page (not its assets) takes from its client's budget.
 * - `requireLiveLink`, ahead of every self-service API call: a token that opens no live link is
 *   a failure of its client, and a client with too many is answered 429 until its window ends,
 *   whatever token it sends, as a right one would otherwise still tell a guesser it was right.
 *   The exception is a link this client already opened before it was locked: it keeps working,
 *   so the end user who shares an address with someone sending bogus tokens (one network behind
 *   NAT, one proxy without `trustProxy`) is not cut off half-way; it tells a guesser nothing, as
 *   only tokens that had already worked from that client pass. A live link's calls take from the
 *   link's own budget (per link, not per client), which only its holder can spend.
 */
export function createSelfServiceLimits(deps: SelfServiceLimitDeps) {
  const pages = createBudget(deps.useLimit);
  const links = createBudget(deps.useLimit);
  const failures = createFailureCount(deps.failureLimit);
  const opened = createOpenedLinks();
  const useWindow = deps.useLimit.windowSeconds;
  const failureWindow = deps.failureLimit.windowSeconds;
  const logPageLimited = deps.securityLog.repeated('reset-page-rate-limited', useWindow);
  const logLinkLimited = deps.securityLog.repeated('recovery-link-rate-limited', useWindow);
  const logFailure = deps.securityLog.repeated('recovery-token-refused', failureWindow);
  const logLocked = deps.securityLog.repeated('recovery-token-locked', failureWindow);

  /** 0 when the page may be served to this client, else the seconds to wait. */
  async function pageLoads(c: Context): Promise<number> {
    const client = deps.clientOf(c);
    const wait = await pages.take(clientKey(client));
    if (wait > 0) logPageLimited(client, { retryAfterSeconds: wait });
    return wait;
  }

  const requireLiveLink: MiddlewareHandler = async (c, next) => {
    const client = deps.clientOf(c);
    const key = clientKey(client);
    const token = bearerToken(c) ?? '';
    const link = tokenHash(token);
    const openedHere = `${key}\n${link}`;
    const locked = await failures.lockedFor(key);
    if (locked > 0 && !opened.has(openedHere)) {
      logLocked(client, { retryAfterSeconds: locked });
      throw tooManyRequests(locked, 'Too many attempts with links that do not work');
    }
    try {
      deps.checkLink(token);
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 410) {
        const counted = await failures.fail(key);
        logFailure(client, { failures: counted.failures });
        if (counted.lockedFor > 0) {
          logLocked(client, { failures: counted.failures, retryAfterSeconds: counted.lockedFor });
        }
      }
      throw error;
    }
    opened.add(openedHere);
    const wait = await links.take(link);
    if (wait > 0) {
      logLinkLimited(client, { retryAfterSeconds: wait });
      throw tooManyRequests(wait, 'Too many requests with this link');
    }
    await next();
  };

  return { pageLoads, requireLiveLink };
}
