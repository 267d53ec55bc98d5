import { existsSync } from 'node:fs';
import path from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE } from './database.ts';
import { makePrivateDir, makePrivateFile } from './private-files.ts';

/**
 * Copies the backend's database in `dataDir` to the new file `to` with SQLite's online backup,
 * while the backend runs: the copy is one consistent moment of it (WAL included), made a few
 * pages at a time so the server's own writes go on. The copy is 0600, as it holds the hashes,
 * the audit and any outbox copies. It never overwrites a file.
 */
export async function backupDatabase(dataDir: string, to: string): Promise<{ pages: number }> {
  const source = path.join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) throw new Error(`there is no PassDesk database in ${dataDir}`);
  if (existsSync(to)) throw new Error(`${to} exists already: name a new file`);
  makePrivateDir(path.dirname(path.resolve(to)));
  makePrivateFile(to);
  const db = new DatabaseSync(source);
  try {
    const pages = await backup(db, to, { rate: 256 });
    return { pages };
  } finally {
    db.close();
  }
}
