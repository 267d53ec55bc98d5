import type { Context } from 'hono';
import { IdempotencyKey } from '../../../shared/api/index.ts';
import type { SecretHasher } from '../crypto/secret-hasher.ts';
import type { IdempotencyStore } from '../db/records-store.ts';
import { ApiFailure } from '../errors.ts';
import type { RequestContext } from '../services/context.ts';

/**
 * `Idempotency-Key` handling for POST and PATCH: the same key with the same body answers with
 * the stored response without acting again; with another body, 422; while the first request
 * with that key is still running, 409. The answer is stored in the same transaction as the
 * work (see services/context.ts), and the body only as a salted hash.
 */
export function createIdempotency(store: IdempotencyStore, hasher: SecretHasher) {
  const running = new Set<string>();

  /** What became of the request under `key`: its stored answer, or 409 running, or 404. */
  function lookup(key: string): { route: string; status: number; response: unknown } {
    const stored = store.find(key);
    if (stored !== null) {
      return {
        route: stored.route,
        status: stored.status,
        response: JSON.parse(stored.response) as unknown,
      };
    }
    if (running.has(key)) {
      throw new ApiFailure(
        409,
        'idempotency-key-in-use',
        'A request with this Idempotency-Key is still running.',
      );
    }
    throw new ApiFailure(404, 'not-found', 'No request completed under this Idempotency-Key.');
  }

  async function idempotent(
    c: Context,
    route: string,
    body: unknown,
    actor: string,
    work: (context: RequestContext) => Promise<unknown>,
  ): Promise<Response> {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return c.json(await work({ actor, idempotency: null }));
    if (!IdempotencyKey.safeParse(key).success) {
      throw new ApiFailure(
        400,
        'invalid-request',
        'Idempotency-Key: 1 to 200 printable ASCII characters',
      );
    }
    const canonical = `${route}\n${JSON.stringify(body)}`;
    const stored = store.find(key);
    if (stored !== null) {
      if (stored.route !== route || !(await hasher.verify(canonical, stored.fingerprint))) {
        throw new ApiFailure(
          422,
          'idempotency-key-reused',
          'This Idempotency-Key was already used with a different request.',
        );
      }
      c.header('Idempotent-Replayed', 'true');
      return c.body(stored.response, stored.status as 200, {
        'Content-Type': 'application/json; charset=utf-8',
      });
    }
    if (running.has(key)) {
      throw new ApiFailure(
        409,
        'idempotency-key-in-use',
        'A request with this Idempotency-Key is still running.',
      );
    }
    running.add(key);
    try {
      const fingerprint = await hasher.hash(canonical);
      return c.json(await work({ actor, idempotency: { key, route, fingerprint } }));
    } finally {
      running.delete(key);
    }
  }

  return { idempotent, lookup };
}
