import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiFailure } from '../errors.ts';

export interface RateLimit {
  /** Requests (or, for a failure limit, failures) allowed per window. */
  points: number;
  windowSeconds: number;
}

/** Whole seconds until `ms` have passed, at least 1: what Retry-After says. */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** 429 with Retry-After. */
export function tooManyRequests(seconds: number, message = 'Too many requests'): ApiFailure {
  return new ApiFailure(429, 'rate-limited', `${message}; try again in ${seconds} s.`, undefined, {
    'Retry-After': String(seconds),
  });
}

/** `points` requests per window for each key. */
export function createBudget(limit: RateLimit) {
  const limiter = new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds });
  return {
    /** Spends one request of `key`'s budget: 0 when there was one, else the seconds to wait. */
    async take(key: string): Promise<number> {
      try {
        await limiter.consume(key);
        return 0;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return retryAfterSeconds(rejection.msBeforeNext);
      }
    },
  };
}

/**
 * `points` failures per window for each key, counted from the first: once they are used up the
 * key is locked until that window ends. Requests refused while locked are not counted, so a lock
 * never lasts longer than one window after the last failure that was checked.
 */
export function createFailureCount(limit: RateLimit) {
  const limiter = new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds });
  const lockOf = (state: RateLimiterRes | null): number =>
    state !== null && state.consumedPoints >= limit.points && state.msBeforeNext > 0
      ? retryAfterSeconds(state.msBeforeNext)
      : 0;
  return {
    /** 0 while `key` may be checked; else the seconds until it may be again. */
    async lockedFor(key: string): Promise<number> {
      return lockOf(await limiter.get(key));
    },
    /** Counts a failure of `key`: its failures in this window, and whether that locked it. */
    async fail(key: string): Promise<{ failures: number; lockedFor: number }> {
      let state: RateLimiterRes;
      try {
        state = await limiter.consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        state = rejection;
      }
      return { failures: state.consumedPoints, lockedFor: lockOf(state) };
    },
  };
}

/** 429 with Retry-After once the key `keyOf` gives has used its requests for the window. */
export function rateLimit(
  limit: RateLimit,
  keyOf: (c: Context) => string,
  onLimited: (c: Context, seconds: number) => void = () => undefined,
): MiddlewareHandler {
  const budget = createBudget(limit);
  return async (c, next) => {
    const wait = await budget.take(keyOf(c));
    if (wait > 0) {
      onLimited(c, wait);
      throw tooManyRequests(wait);
    }
    await next();
  };
}
