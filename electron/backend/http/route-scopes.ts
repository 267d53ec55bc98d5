import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { RouteSpec } from '../../../shared/api/index.ts';
import { ApiFailure } from '../errors.ts';
import { SELF_SERVICE_ACTOR } from '../services/recovery.ts';
import { verifiedTokenName } from './admin-auth.ts';
import { rateLimit, type RateLimit } from './rate-limit.ts';

export type RouteAuth = RouteSpec['auth'];

/** What every route of one `auth` kind goes through before its request is parsed. */
export interface RouteScope {
  /** Run in order ahead of the handler: the credential check, the rate limit, the body limit. */
  guards: readonly MiddlewareHandler[];
  /**
   * Who the audit names for a request in this scope, as claimed. The admin token the request was
   * verified with is named beside it (see `verifiedTokenName`).
   */
  actorOf(c: Context): string;
}

/**
 * A password and its confirmation (at most 256 characters each, as JSON) fit with room to spare;
 * the end user's side needs no more than that.
 */
const RECOVERY_BODY_BYTES = 4096;

const ACTOR = /^[^\p{Cc}]{1,100}$/u;

/**
 * Who the audit names: the operator PassDesk sends in X-PassDesk-Actor (percent-encoded UTF-8,
 * as headers are ASCII), else the verified admin token's name. Only admin requests may name one.
 * Any token holder can claim any name here; the audit's token name is what was proven.
 */
function adminActorOf(c: Context): string {
  let given: string | undefined;
  try {
    given = decodeURIComponent(c.req.header('x-passdesk-actor') ?? '').trim();
  } catch {
    given = undefined;
  }
  return given !== undefined && ACTOR.test(given) ? given : (verifiedTokenName(c) ?? 'admin');
}

function tooLarge(): never {
  throw new ApiFailure(400, 'body-too-large', 'body: larger than this server accepts');
}

/**
 * The three kinds of access a route spec can name.
 *
 * - `admin`: the admin token first (wrong ones counted per client, see admin-auth.ts), so a caller
 *   without it spends none of the admin rate limit; then that limit (one budget for the whole
 *   admin API) and the configured body limit.
 * - `recovery`: the token must be a live link's, under the end user's limits (see
 *   self-service-limits.ts); `checkLink` answers 410 otherwise — the same answer for a missing,
 *   unknown, expired or voided token, which the reset page shows as an expired link.
 * - `none`: open, unlimited (health checks).
 */
export function createRouteScopes(deps: {
  requireAdminToken: MiddlewareHandler;
  adminRateLimit: RateLimit;
  /** Told of each request the admin rate limit refuses, and how long it must wait. */
  onAdminLimited: (c: Context, seconds: number) => void;
  maxBodyBytes: number;
  requireLiveLink: MiddlewareHandler;
}): Record<RouteAuth, RouteScope> {
  return {
    admin: {
      guards: [
        deps.requireAdminToken,
        // A budget per admin token (set by requireAdminToken just before): one operator's
        // bulk work, or a token that leaked, cannot use up the others' requests.
        rateLimit(
          deps.adminRateLimit,
          (c) => `token:${verifiedTokenName(c) ?? ''}`,
          deps.onAdminLimited,
        ),
        bodyLimit({ maxSize: deps.maxBodyBytes, onError: tooLarge }),
      ],
      actorOf: adminActorOf,
    },
    recovery: {
      guards: [
        deps.requireLiveLink,
        bodyLimit({ maxSize: RECOVERY_BODY_BYTES, onError: tooLarge }),
      ],
      actorOf: () => SELF_SERVICE_ACTOR,
    },
    none: { guards: [], actorOf: () => 'anonymous' },
  };
}
