import type { DatabaseSync } from 'node:sqlite';
import type { SecretKind } from '../../../shared/rules/index.ts';

/** A user's secret history: salted hashes only, newest last. */
export function createSecretsStore(db: DatabaseSync) {
  const recent = db.prepare(
    'SELECT hash FROM secret_history WHERE user_id = ? AND kind = ? ORDER BY id DESC LIMIT ?',
  );
  const latest = db.prepare(
    'SELECT temporary FROM secret_history WHERE user_id = ? AND kind = ? ORDER BY id DESC LIMIT 1',
  );
  const insert = db.prepare(
    `INSERT INTO secret_history (user_id, kind, hash, temporary, set_at, set_by) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  return {
    /** The hashes of the user's last `count` values of this kind, newest first. */
    recentHashes(userId: string, kind: SecretKind, count: number): string[] {
      if (count <= 0) return [];
      return (recent.all(userId, kind, count) as { hash: string }[]).map((row) => row.hash);
    },
    /** Whether the user's current secret of this kind is temporary (false if none was set). */
    isTemporary(userId: string, kind: SecretKind): boolean {
      const row = latest.get(userId, kind) as { temporary: number } | undefined;
      return row?.temporary === 1;
    },
    add(entry: {
      userId: string;
      kind: SecretKind;
      hash: string;
      temporary: boolean;
      at: Date;
      by: string;
    }): void {
      insert.run(
        entry.userId,
        entry.kind,
        entry.hash,
        entry.temporary ? 1 : 0,
        entry.at.toISOString(),
        entry.by,
      );
    },
  };
}
export type SecretsStore = ReturnType<typeof createSecretsStore>;
