import type { DatabaseSync } from 'node:sqlite';
import type { AuditEntry, OutboxMessage, OutboxSummary } from '../../../shared/api/index.ts';

export type Delivery = OutboxSummary['delivery'];
export type NewOutboxMessage = Omit<OutboxMessage, 'id'>;

interface OutboxRow {
  id: number;
  kind: OutboxSummary['kind'];
  to: string;
  from: string;
  subject: string;
  sentAt: string;
  headers: string;
  text: string;
  html: string;
  raw: string;
  delivery: Delivery;
}

const PAGE = 100;

/** The outbox and the audit trail, both read newest first in pages of 100. */
export function createRecordsStore(db: DatabaseSync) {
  /** The verified admin token of the work `attributedTo` runs now; null outside it. */
  let tokenName: string | null = null;
  const statements = {
    insertMessage: db.prepare(
      `INSERT INTO outbox (kind, to_address, from_address, subject, sent_at, headers, text_body, html_body, raw, delivery)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    ),
    setDelivery: db.prepare('UPDATE outbox SET delivery = ? WHERE id = ?'),
    undelivered: db.prepare(
      `SELECT id, kind, to_address AS "to", from_address AS "from", raw FROM outbox
       WHERE delivery = 'sending' ORDER BY id`,
    ),
    raw: db.prepare('SELECT raw FROM outbox WHERE id = ?'),
    messages: db.prepare(
      `SELECT id, kind, to_address AS "to", subject, sent_at AS sentAt, delivery
       FROM outbox WHERE id < ? ORDER BY id DESC LIMIT ?`,
    ),
    message: db.prepare(
      `SELECT id, kind, to_address AS "to", from_address AS "from", subject, sent_at AS sentAt, headers,
              text_body AS text, html_body AS html, raw, delivery FROM outbox WHERE id = ?`,
    ),
    insertAudit: db.prepare(
      'INSERT INTO audit (at, actor, token_name, action, user_id, outcome) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    audit: db.prepare(
      `SELECT id, at, actor, token_name AS tokenName, action, user_id AS userId, outcome
       FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?`,
    ),
  };

  return {
    addMessage(message: NewOutboxMessage): number {
      const row = statements.insertMessage.get(
        message.kind,
        message.to,
        message.from,
        message.subject,
        message.sentAt,
        JSON.stringify(message.headers),
        message.text,
        message.html,
        message.raw,
        message.delivery,
      ) as { id: number };
      return row.id;
    },
    setDelivery(id: number, delivery: Delivery): void {
      statements.setDelivery.run(delivery, id);
    },
    /** Messages handed to SMTP that were never confirmed (the process stopped first). */
    undelivered(): {
      id: number;
      kind: OutboxSummary['kind'];
      to: string;
      from: string;
      raw: string;
    }[] {
      return statements.undelivered.all() as unknown as {
        id: number;
        kind: OutboxSummary['kind'];
        to: string;
        from: string;
        raw: string;
      }[];
    },
    /** The message as stored now (its .eml copy must be the same). */
    messageRaw(id: number): string | null {
      return (statements.raw.get(id) as { raw: string } | undefined)?.raw ?? null;
    },
    messages(beforeId: number): { messages: OutboxSummary[]; nextBefore: number | null } {
      const rows = statements.messages.all(beforeId, PAGE + 1) as unknown as OutboxSummary[];
      const page = rows.slice(0, PAGE);
      return { messages: page, nextBefore: rows.length > PAGE ? (page.at(-1)?.id ?? null) : null };
    },
    message(id: number): OutboxMessage | null {
      const row = statements.message.get(id) as OutboxRow | undefined;
      if (row === undefined) return null;
      return { ...row, headers: JSON.parse(row.headers) as Record<string, string> };
    },
    /**
     * Runs `work` (synchronous: a request's transaction, see createCommit) with every audit row
     * it writes naming `name` as the admin token the request was verified with.
     */
    attributedTo<T>(name: string | null, work: () => T): T {
      const outer = tokenName;
      tokenName = name;
      try {
        return work();
      } finally {
        tokenName = outer;
      }
    },
    /**
     * One audit row. It names the admin token `entry.tokenName` names, for a row written after its
     * request's transaction (pass the request's `context.tokenName`); else that of the
     * `attributedTo` it is written in, if any.
     */
    audit(entry: {
      at: Date;
      actor: string;
      tokenName?: string | undefined;
      action: string;
      userId: string;
      outcome: string;
    }): void {
      statements.insertAudit.run(
        entry.at.toISOString(),
        entry.actor,
        entry.tokenName ?? tokenName,
        entry.action,
        entry.userId,
        entry.outcome,
      );
    },
    auditPage(beforeId: number): { entries: AuditEntry[]; nextBefore: number | null } {
      const rows = statements.audit.all(beforeId, PAGE + 1) as unknown as (Omit<
        AuditEntry,
        'tokenName'
      > & { id: number; tokenName: string | null })[];
      const page = rows.slice(0, PAGE);
      return {
        entries: page.map((row) => ({
          at: row.at,
          actor: row.actor,
          ...(row.tokenName === null ? {} : { tokenName: row.tokenName }),
          action: row.action,
          userId: row.userId,
          outcome: row.outcome,
        })),
        nextBefore: rows.length > PAGE ? (page.at(-1)?.id ?? null) : null,
      };
    },
  };
}
export type RecordsStore = ReturnType<typeof createRecordsStore>;

/**
 * A key a lookup found nothing under: kept like an answer (and pruned with them), so that a copy
 * of the request that arrives under it later is refused instead of acting.
 */
export const RETIRED_KEY_STATUS = 0;

/** Completed requests by Idempotency-Key, and keys retired by a lookup. */
export function createIdempotencyStore(db: DatabaseSync) {
  const find = db.prepare(
    'SELECT route, fingerprint, status, response FROM idempotency WHERE key = ?',
  );
  const insert = db.prepare(
    'INSERT INTO idempotency (key, route, fingerprint, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const prune = db.prepare('DELETE FROM idempotency WHERE created_at < ?');
  const replace = db.prepare('UPDATE idempotency SET response = ? WHERE key = ?');
  return {
    find(
      key: string,
    ): { route: string; fingerprint: string; status: number; response: string } | null {
      return (
        (find.get(key) as
          { route: string; fingerprint: string; status: number; response: string } | undefined) ??
        null
      );
    },
    save(entry: {
      key: string;
      route: string;
      fingerprint: string;
      status: number;
      response: string;
      at: Date;
    }): void {
      insert.run(
        entry.key,
        entry.route,
        entry.fingerprint,
        entry.status,
        entry.response,
        entry.at.toISOString(),
      );
    },
    /** A stored answer corrected after its request's work (what SMTP did with its emails). */
    replaceResponse(key: string, response: string): void {
      replace.run(response, key);
    },
    /** Marks `key` as retired (see RETIRED_KEY_STATUS). */
    retire(key: string, at: Date): void {
      insert.run(key, '', '', RETIRED_KEY_STATUS, '', at.toISOString());
    },
    /** Forgets answers older than `before` (keys are kept for a day). */
    prune(before: Date): void {
      prune.run(before.toISOString());
    },
  };
}
export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
