import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { makePrivateDir, makePrivateFile, tightenFiles } from './private-files.ts';

/**
 * Opens (creating when needed) an SQLite file with Node's built-in driver, in WAL mode with
 * foreign keys on, and applies the numbered migrations it has not seen yet (its `user_version`
 * records the last one). Used by the backend's database and by the app's job journal.
 * The file is created 0600 before SQLite opens it, and SQLite gives its -wal and -shm files the
 * database file's mode; a missing folder is created 0700.
 */
export function openSqlite(
  file: string,
  migrations: readonly string[],
  pragmas = '',
): DatabaseSync {
  makePrivateDir(path.dirname(file));
  makePrivateFile(file);
  tightenFiles([`${file}-wal`, `${file}-shm`, `${file}-journal`]);
  const db = new DatabaseSync(file);
  db.exec(
    `PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; ${pragmas}`,
  );
  migrate(db, migrations, path.basename(file));
  return db;
}

export function migrate(db: DatabaseSync, migrations: readonly string[], name: string): void {
  const { user_version: applied } = db.prepare('PRAGMA user_version').get() as {
    user_version: number;
  };
  if (applied > migrations.length) {
    throw new Error(
      `${name} is at schema version ${applied}, newer than this version of PassDesk knows (${migrations.length}).`,
    );
  }
  migrations.slice(applied).forEach((sql, index) => {
    transaction(db, () => {
      db.exec(sql);
      db.exec(`PRAGMA user_version = ${applied + index + 1}`);
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
