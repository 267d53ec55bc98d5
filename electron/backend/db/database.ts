import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS } from './migrations.ts';
import { openSqlite } from './sqlite.ts';

export { transaction } from './sqlite.ts';

export const DATABASE_FILE = 'passdesk-backend.sqlite';

/** The backend's one database file under `dataDir`, migrated to the newest schema. */
export function openDatabase(dataDir: string): DatabaseSync {
  return openSqlite(path.join(dataDir, DATABASE_FILE), MIGRATIONS);
}
