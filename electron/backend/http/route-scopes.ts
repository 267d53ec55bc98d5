import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { RouteSpec } from '../../../shared/api/index.ts';
import { sameSecret } from '../crypto/tokens.ts';
import { ApiFailure } from '../errors.ts';
import { SELF_SERVICE_ACTOR } from '../services/recovery.ts';
import { rateLimit, type RateLimit } from './rate-limit.ts';
import { bearerToken } from './request.ts';

export type RouteAuth = RouteSpec['auth'];

/** What every route of one `auth` kind goes through before its request is parsed. */
export interface RouteScope {
  /** Run in order ahead of the handler: the credential check, the rate limit, the body limit. */
  guards: readonly MiddlewareHandler[];
  /** Who the audit names for a request in this scope. */
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
 * as headers are ASCII), else "admin". Only admin requests may name one.
 */
function adminActorOf(c: Context): string {
  let given: string | undefined;
  try {
    given = decodeURIComponent(c.req.header('x-passdesk-actor') ?? '').trim();
  } catch {
    given = undefined;
  }
  return given !== undefined && ACTOR.test(given) ? given : 'admin';
}

/** 401 unless the request carries `adminToken` as its bearer token (compared in constant time). */
export function requireAdminToken(adminToken: string): MiddlewareHandler {
  return async (c, next) => {
    const token = bearerToken(c);
    if (token === null || !sameSecret(token, adminToken)) {
      throw new ApiFailure(401, 'unauthorized', 'A valid admin token is required.');
    }
    await next();
  };
}

function tooLarge(): never {
  throw new ApiFailure(400, 'body-too-large', 'body: larger than this server accepts');
}

/**
 * The three kinds of access a route spec can name.
 *
 * - `admin`: the admin token first, so a caller without it spends none of the admin rate limit;
 *   then that limit (one budget for the whole admin API) and the configured body limit.
 * - `recovery`: the per-address limit first, as it is what stops anyone guessing tokens; then the
 *   token must be a live link's (`checkLink` answers 410 otherwise — the same answer for a
 *   missing, unknown, expired or voided token, which the reset page shows as an expired link).
 * - `none`: open, unlimited (health checks).
 */
export function createRouteScopes(deps: {
  adminToken: string;
  adminRateLimit: RateLimit;
  maxBodyBytes: number;
  /** Shared with the reset page, so page loads and API calls draw on one budget per address. */
  selfServiceLimit: MiddlewareHandler;
  checkLink: (token: string) => void;
}): Record<RouteAuth, RouteScope> {
  const requireLiveLink: MiddlewareHandler = async (c, next) => {
    deps.checkLink(bearerToken(c) ?? '');
    await next();
  };
  return {
    admin: {
      guards: [
        requireAdminToken(deps.adminToken),
        rateLimit(deps.adminRateLimit, () => 'admin'),
        bodyLimit({ maxSize: deps.maxBodyBytes, onError: tooLarge }),
      ],
      actorOf: adminActorOf,
    },
    recovery: {
      guards: [
        deps.selfServiceLimit,
        requireLiveLink,
        bodyLimit({ maxSize: RECOVERY_BODY_BYTES, onError: tooLarge }),
      ],
      actorOf: () => SELF_SERVICE_ACTOR,
    },
    none: { guards: [], actorOf: () => 'anonymous' },
  };
}
