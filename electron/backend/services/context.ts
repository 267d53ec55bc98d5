import type { DatabaseSync } from 'node:sqlite';
import type { Clock } from '../clock.ts';
import { transaction } from '../db/database.ts';
import type { IdempotencyStore } from '../db/records-store.ts';

/** Who is asking, and, for a request with an Idempotency-Key, where to keep its answer. */
export interface RequestContext {
  actor: string;
  idempotency: { key: string; route: string; fingerprint: string } | null;
}

export type Commit = <T>(context: RequestContext, work: () => T) => T;

/**
 * Runs a request's writes in one transaction together with storing its answer under its
 * Idempotency-Key, so a crash leaves either both or neither: a retry with the same key then
 * replays the answer or does the work once.
 */
export function createCommit(
  db: DatabaseSync,
  idempotency: IdempotencyStore,
  clock: Clock,
): Commit {
  return (context, work) =>
    transaction(db, () => {
      const result = work();
      if (context.idempotency !== null) {
        idempotency.save({
          ...context.idempotency,
          status: 200,
          response: JSON.stringify(result),
          at: clock.now(),
        });
      }
      return result;
    });
}
