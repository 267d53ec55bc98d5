import type { Context, MiddlewareHandler } from 'hono';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiFailure } from '../errors.ts';

export interface RateLimit {
  /** Requests allowed per window. */
  points: number;
  windowSeconds: number;
}

/** 429 with Retry-After once a client has used its requests for the window. */
export function rateLimit(limit: RateLimit, keyOf: (c: Context) => string): MiddlewareHandler {
  const limiter = new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds });
  return async (c, next) => {
    try {
      await limiter.consume(keyOf(c));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new ApiFailure(
        429,
        'rate-limited',
        `Too many requests; try again in ${seconds} s.`,
        undefined,
        {
          'Retry-After': String(seconds),
        },
      );
    }
    await next();
  };
}
