import type { DatabaseSync } from 'node:sqlite';

/** An outbox message as it is kept once its link has ended: the link replaced by words. */
export interface SpentCopy {
  headers: Record<string, string>;
  text: string;
  html: string;
  raw: string;
}

/**
 * The spent copies waiting beside outbox messages that still hold a live recovery link. A link
 * has ended once it is voided (a newer link, an administrator's reset, an email change), used
 * for either action, or expired; a copy whose link row is missing counts as ended too.
 */
export function createSpentCopiesStore(db: DatabaseSync) {
  const statements = {
    insert: db.prepare(
      `INSERT INTO outbox_spent_copies (outbox_id, headers, text_body, html_body, raw)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    due: db.prepare(
      `SELECT s.outbox_id AS id, s.raw FROM outbox_spent_copies s
       LEFT JOIN recovery_tokens t ON t.outbox_id = s.outbox_id
       WHERE t.token_hash IS NULL OR t.voided_at IS NOT NULL OR t.expires_at <= ?
          OR t.password_changed_at IS NOT NULL OR t.passcode_generated_at IS NOT NULL
       LIMIT ?`,
    ),
    apply: db.prepare(
      `UPDATE outbox SET headers = s.headers, text_body = s.text_body, html_body = s.html_body,
              raw = s.raw
       FROM outbox_spent_copies s WHERE s.outbox_id = ? AND outbox.id = s.outbox_id`,
    ),
    remove: db.prepare('DELETE FROM outbox_spent_copies WHERE outbox_id = ?'),
    older: db.prepare(
      `SELECT o.id, o.from_address AS "from", o.to_address AS "to", o.subject, o.sent_at AS sentAt,
              o.headers, o.text_body AS text
       FROM outbox_older_copies c JOIN outbox o ON o.id = c.outbox_id ORDER BY o.id`,
    ),
    linkOlder: db.prepare(
      'UPDATE recovery_tokens SET outbox_id = ? WHERE token_hash = ? AND outbox_id IS NULL',
    ),
    doneOlder: db.prepare('DELETE FROM outbox_older_copies WHERE outbox_id = ?'),
  };
  const add = (outboxId: number, copy: SpentCopy): void => {
    statements.insert.run(outboxId, JSON.stringify(copy.headers), copy.text, copy.html, copy.raw);
  };
  return {
    /** Keeps the copy message `outboxId` becomes once its link has ended. */
    add,
    /** The messages whose link has ended by `now` (at most `limit`), with the copy each becomes. */
    due(now: Date, limit = -1): { id: number; raw: string }[] {
      return statements.due.all(now.toISOString(), limit) as unknown as {
        id: number;
        raw: string;
      }[];
    },
    /** Replaces message `outboxId` by its spent copy (run in a transaction). */
    apply(outboxId: number): void {
      statements.apply.run(outboxId);
      statements.remove.run(outboxId);
    },
    /** Recovery emails stored before spent copies existed, still without one. */
    older(): OlderCopy[] {
      return (
        statements.older.all() as unknown as (Omit<OlderCopy, 'headers'> & { headers: string })[]
      ).map((row) => ({ ...row, headers: JSON.parse(row.headers) as Record<string, string> }));
    },
    /**
     * Gives an older email its spent copy, and ties the link it holds (`tokenHash`, null when
     * none is known) to it; run in a transaction.
     */
    adoptOlder(outboxId: number, tokenHash: string | null, copy: SpentCopy): void {
      if (tokenHash !== null) statements.linkOlder.run(outboxId, tokenHash);
      add(outboxId, copy);
      statements.doneOlder.run(outboxId);
    },
  };
}

/** A recovery email as stored before spent copies existed. */
export interface OlderCopy {
  id: number;
  from: string;
  to: string;
  subject: string;
  sentAt: string;
  headers: Record<string, string>;
  text: string;
}
export type SpentCopiesStore = ReturnType<typeof createSpentCopiesStore>;
