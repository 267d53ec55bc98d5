import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS } from './migrations.ts';
import { openSqlite } from './sqlite.ts';

export { transaction } from './sqlite.ts';

export const DATABASE_FILE = 'passdesk-backend.sqlite';

/**
 * The backend's one database file under `dataDir`, migrated to the newest schema. With
 * `secure_delete`, what a row loses (a live link taken out of an outbox copy) is overwritten on
 * disk, not left in a free page.
 */
export function openDatabase(dataDir: string): DatabaseSync {
  return openSqlite(path.join(dataDir, DATABASE_FILE), MIGRATIONS, 'PRAGMA secure_delete = ON;');
}

/**
 * Copies the write-ahead log into the database file and empties it: after a link was taken out
 * of a stored copy, neither file keeps the page it was on.
 */
export function flushWriteAheadLog(db: DatabaseSync): void {
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
}
