import type { DatabaseSync } from 'node:sqlite';
import type { Logger } from '../../../shared/log/index.ts';
import type { Clock } from '../clock.ts';
import { flushWriteAheadLog, transaction } from '../db/database.ts';
import type { RecordsStore } from '../db/records-store.ts';
import type { SpentCopiesStore } from '../db/spent-copies-store.ts';
import type { TokensStore } from '../db/tokens-store.ts';
import type { OutboxFiles } from '../mail/outbox-files.ts';
import { linkName, logSecurityEvent } from './security-events.ts';

const TIMER_BATCH = 500;

export interface LinkSweep {
  /**
   * Replaces the outbox copy (database row and .eml file) of every link that has ended by its
   * spent copy, and logs each link that expired since the last sweep. Synchronous, and never
   * inside a transaction: callers run it after their commit.
   */
  sweep(): void;
  /** Stops the timer; later sweeps do nothing. */
  stop(): void;
}

/**
 * Keeps the outbox free of links that no longer work. A link ends in three ways, and each is
 * covered: used or voided — the service that did it sweeps right after its commit; expired — a
 * timer set for the next expiry (and at least every `maxWaitMs`), a sweep at start, and one
 * before every read of the outbox (`sweepingReads`), so that no reader ever gets an expired link.
 */
export function createLinkSweep(deps: {
  db: DatabaseSync;
  tokens: TokensStore;
  spentCopies: SpentCopiesStore;
  files: OutboxFiles;
  clock: Clock;
  logger: Logger;
  maxWaitMs?: number;
}): LinkSweep {
  const maxWaitMs = deps.maxWaitMs ?? 60_000;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  function schedule(): void {
    if (timer !== null) clearTimeout(timer);
    const next = deps.tokens.nextExpiry();
    const wait = next === null ? maxWaitMs : next.getTime() - deps.clock.now().getTime() + 1;
    timer = setTimeout(tick, Math.min(Math.max(wait, 0), maxWaitMs));
    timer.unref();
  }

  function tick(): void {
    try {
      // A few at a time, so that thousands of links expiring together (a bulk send, 20 minutes
      // on) do not hold the event loop for their file writes: the rest follow at once.
      if (run(TIMER_BATCH) === TIMER_BATCH) {
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(tick, 0);
        timer.unref();
      }
    } catch (error) {
      deps.logger.error('the outbox sweep failed; it runs again shortly', { error });
      if (!stopped) {
        timer = setTimeout(tick, maxWaitMs);
        timer.unref();
      }
    }
  }

  /** Sweeps at most `limit` copies (-1: all of them) and says how many it replaced. */
  function run(limit: number): number {
    if (stopped) return 0;
    const now = deps.clock.now();
    const due = deps.spentCopies.due(now, limit);
    // Files first: one that cannot be written keeps its spent copy waiting, for the next sweep.
    const written = due.filter(({ id, raw }) => {
      try {
        deps.files.write(id, raw);
        return true;
      } catch (error) {
        deps.logger.error('could not replace an outbox file', { outboxId: id, error });
        return false;
      }
    });
    const expired = transaction(deps.db, () => {
      for (const { id } of written) deps.spentCopies.apply(id);
      return deps.tokens.noteExpired(now);
    });
    if (written.length > 0) flushWriteAheadLog(deps.db);
    for (const link of expired) {
      logSecurityEvent(deps.logger, {
        event: 'link-expired',
        userId: link.userId,
        link: linkName(link.tokenHash),
        expiredAt: link.expiresAt,
      });
    }
    schedule();
    return written.length;
  }

  return {
    sweep: () => {
      run(-1);
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/** `records` whose outbox reads sweep first: what the HTTP API reads the outbox through. */
export function sweepingReads(records: RecordsStore, linkSweep: Pick<LinkSweep, 'sweep'>) {
  return {
    ...records,
    messages(beforeId: number) {
      linkSweep.sweep();
      return records.messages(beforeId);
    },
    message(id: number) {
      linkSweep.sweep();
      return records.message(id);
    },
  } satisfies RecordsStore;
}
