import type { Context } from 'hono';
import { IdempotencyKey } from '../../../shared/api/index.ts';
import type { SecretHasher } from '../crypto/secret-hasher.ts';
import type { Clock } from '../clock.ts';
import { RETIRED_KEY_STATUS, type IdempotencyStore } from '../db/records-store.ts';
import { ApiFailure } from '../errors.ts';
import type { RequestContext } from '../services/context.ts';

/**
 * `Idempotency-Key` handling for POST and PATCH: the same key with the same body answers with
 * the stored response without acting again; with another body, 422; while the first request
 * with that key is still running, 409. The answer is stored in the same transaction as the
 * work (see services/context.ts), and the body only as a salted hash.
 *
 * A lookup that finds nothing under a key retires it: a copy of that request still on its way
 * (queued in a proxy, or its body still arriving) is refused when it comes, so the lookup's
 * 404 is proof that nothing under the key was done, or ever will be.
 */
export function createIdempotency(store: IdempotencyStore, hasher: SecretHasher, clock: Clock) {
  const running = new Set<string>();

  const retired = (): ApiFailure =>
    new ApiFailure(
      409,
      'idempotency-key-retired',
      'This Idempotency-Key was retired by a lookup that found nothing under it; nothing was done. Send the request again under a new key.',
    );

  /**
   * What became of the request under `key`: its stored answer, or 409 while it runs, or 404 —
   * and then the key is retired.
   */
  function lookup(key: string): { route: string; status: number; response: unknown } {
    const stored = store.find(key);
    if (stored?.status === RETIRED_KEY_STATUS) throw notDone();
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
    store.retire(key, clock.now());
    throw notDone();
  }

  function notDone(): ApiFailure {
    return new ApiFailure(
      404,
      'idempotency-key-retired',
      'No request was done under this Idempotency-Key, and none will be: the key is retired.',
    );
  }

  async function idempotent(
    c: Context,
    route: string,
    body: unknown,
    who: Omit<RequestContext, 'idempotency'>,
    work: (context: RequestContext) => Promise<unknown>,
  ): Promise<Response> {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return c.json(await work({ ...who, idempotency: null }));
    if (!IdempotencyKey.safeParse(key).success) {
      throw new ApiFailure(
        400,
        'invalid-request',
        'Idempotency-Key: 1 to 200 printable ASCII characters',
      );
    }
    const canonical = `${route}\n${JSON.stringify(body)}`;
    const stored = store.find(key);
    if (stored?.status === RETIRED_KEY_STATUS) throw retired();
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
      return c.json(await work({ ...who, idempotency: { key, route, fingerprint } }));
    } finally {
      running.delete(key);
    }
  }

  return { idempotent, lookup };
}
export type Idempotency = ReturnType<typeof createIdempotency>;
