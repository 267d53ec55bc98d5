import type { DatabaseSync } from 'node:sqlite';
import type { Clock } from '../clock.ts';
import { transaction } from '../db/database.ts';
import type { IdempotencyStore, RecordsStore } from '../db/records-store.ts';

/** Who is asking, and, for a request with an Idempotency-Key, where to keep its answer. */
export interface RequestContext {
  /** Who the request says it is for (an admin request's X-PassDesk-Actor): claimed, not proven. */
  actor: string;
  /**
   * The name of the admin token the request was verified with; absent for the end user's own
   * requests (and for work no request asked for).
   */
  tokenName?: string;
  idempotency: { key: string; route: string; fingerprint: string } | null;
}

export type Commit = <T>(context: RequestContext, work: () => T) => T;

/**
 * Runs a request's writes in one transaction together with storing its answer under its
 * Idempotency-Key, so a crash leaves either both or neither: a retry with the same key then
 * replays the answer or does the work once.
 *
 * Given `audit` (the backend always gives it), every audit row the work writes names the
 * request's verified token, so no service has to pass it on, or can forget to.
 */
export function createCommit(
  db: DatabaseSync,
  idempotency: IdempotencyStore,
  clock: Clock,
  audit?: Pick<RecordsStore, 'attributedTo'>,
): Commit {
  return (context, work) =>
    transaction(db, () => {
      const result =
        audit === undefined ? work() : audit.attributedTo(context.tokenName ?? null, work);
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
