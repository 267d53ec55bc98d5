import type { DatabaseSync } from 'node:sqlite';

export interface TokenRow {
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  voidedAt: string | null;
  passwordChangedAt: string | null;
  passcodeGeneratedAt: string | null;
}

/** Recovery-link tokens, kept as their SHA-256 only. */
export function createTokensStore(db: DatabaseSync) {
  const statements = {
    // ISO-8601 UTC strings of one format compare in time order, so expires_at > ? works as text.
    voidLive: db.prepare(
      'UPDATE recovery_tokens SET voided_at = ? WHERE user_id = ? AND voided_at IS NULL AND expires_at > ?',
    ),
    insert: db.prepare(
      'INSERT INTO recovery_tokens (token_hash, user_id, created_at, expires_at, outbox_id) VALUES (?, ?, ?, ?, ?)',
    ),
    noteExpired: db.prepare(
      `UPDATE recovery_tokens SET expiry_noted_at = ?
       WHERE expiry_noted_at IS NULL AND voided_at IS NULL AND expires_at <= ?
       RETURNING token_hash AS tokenHash, user_id AS userId, expires_at AS expiresAt`,
    ),
    nextExpiry: db.prepare(
      `SELECT min(expires_at) AS at FROM recovery_tokens
       WHERE expiry_noted_at IS NULL AND voided_at IS NULL`,
    ),
    find: db.prepare(
      `SELECT token_hash AS tokenHash, user_id AS userId, created_at AS createdAt, expires_at AS expiresAt,
              voided_at AS voidedAt, password_changed_at AS passwordChangedAt,
              passcode_generated_at AS passcodeGeneratedAt
       FROM recovery_tokens WHERE token_hash = ?`,
    ),
    passwordChanged: db.prepare(
      'UPDATE recovery_tokens SET password_changed_at = ? WHERE token_hash = ?',
    ),
    passcodeGenerated: db.prepare(
      'UPDATE recovery_tokens SET passcode_generated_at = ? WHERE token_hash = ?',
    ),
  };
  return {
    /**
     * Stores a new token for the user, sent in outbox message `outboxId`, and voids the user's
     * older links that still work; says how many it voided.
     */
    issue(
      tokenHash: string,
      userId: string,
      createdAt: Date,
      expiresAt: Date,
      outboxId: number,
    ): number {
      const iso = createdAt.toISOString();
      const voided = Number(statements.voidLive.run(iso, userId, iso).changes);
      statements.insert.run(tokenHash, userId, iso, expiresAt.toISOString(), outboxId);
      return voided;
    },
    /**
     * Voids the user's links that still work (neither voided nor expired), as a newer link
     * does, and says how many there were. Expired links are left as they are: they already fail.
     */
    voidLive(userId: string, at: Date): number {
      const iso = at.toISOString();
      return Number(statements.voidLive.run(iso, userId, iso).changes);
    },
    find(tokenHash: string): TokenRow | null {
      return (statements.find.get(tokenHash) as TokenRow | undefined) ?? null;
    },
    markPasswordChanged(tokenHash: string, at: Date): void {
      statements.passwordChanged.run(at.toISOString(), tokenHash);
    },
    markPasscodeGenerated(tokenHash: string, at: Date): void {
      statements.passcodeGenerated.run(at.toISOString(), tokenHash);
    },
    /**
     * The links that have expired by `now` and were not noted yet (nor voided before they
     * could expire), each returned once: marked as noted.
     */
    noteExpired(now: Date): { tokenHash: string; userId: string; expiresAt: string }[] {
      const iso = now.toISOString();
      return statements.noteExpired.all(iso, iso) as unknown as {
        tokenHash: string;
        userId: string;
        expiresAt: string;
      }[];
    },
    /** When the next link not yet noted expires, or null when there is none. */
    nextExpiry(): Date | null {
      const { at } = statements.nextExpiry.get() as { at: string | null };
      return at === null ? null : new Date(at);
    },
  };
}
export type TokensStore = ReturnType<typeof createTokensStore>;
