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
    voidOthers: db.prepare(
      'UPDATE recovery_tokens SET voided_at = ? WHERE user_id = ? AND voided_at IS NULL',
    ),
    // ISO-8601 UTC strings of one format compare in time order, so expires_at > ? works as text.
    voidLive: db.prepare(
      'UPDATE recovery_tokens SET voided_at = ? WHERE user_id = ? AND voided_at IS NULL AND expires_at > ?',
    ),
    insert: db.prepare(
      'INSERT INTO recovery_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
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
    /** Stores a new token for the user and voids every older one of theirs. */
    issue(tokenHash: string, userId: string, createdAt: Date, expiresAt: Date): void {
      statements.voidOthers.run(createdAt.toISOString(), userId);
      statements.insert.run(tokenHash, userId, createdAt.toISOString(), expiresAt.toISOString());
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
  };
}
export type TokensStore = ReturnType<typeof createTokensStore>;
