import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS } from './migrations.ts';

export const DATABASE_FILE = 'passdesk-backend.sqlite';

/**
 * Opens (creating when needed) the backend's one database file under `dataDir`, in WAL mode
 * with foreign keys on, and applies the migrations it has not seen yet.
 */
export function openDatabase(dataDir: string): DatabaseSync {
  mkdirSync(dataDir, { recursive: true });
  const db = new DatabaseSync(path.join(dataDir, DATABASE_FILE));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  migrate(db);
  return db;
}

export function migrate(db: DatabaseSync): void {
  const { user_version: applied } = db.prepare('PRAGMA user_version').get() as {
    user_version: number;
  };
  if (applied > MIGRATIONS.length) {
    throw new Error(
      `The database is at schema version ${applied}, newer than this backend knows (${MIGRATIONS.length}).`,
    );
  }
  MIGRATIONS.slice(applied).forEach((sql, index) => {
    const version = applied + index + 1;
    transaction(db, () => {
      db.exec(sql);
      db.exec(`PRAGMA user_version = ${version}`);
    });
  });
}

/** Runs `work` in one transaction: all of it is stored, or none of it. */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
