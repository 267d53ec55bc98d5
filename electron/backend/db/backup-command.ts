import path from 'node:path';
import { parseArgs } from 'node:util';
import { backupDatabase } from './backup.ts';

export const BACKUP_USAGE = `Usage: npm run backend -- backup --data-dir <dir> --to <new file>
  Copies the backend's database while it runs (SQLite's online backup), as a file only its
  owner can read. It never overwrites a file.`;

/** `backup --data-dir <dir> --to <file>`: the exit code (0 done, 1 failed, 2 bad arguments). */
export async function runBackupCommand(args: readonly string[]): Promise<number> {
  let values: { 'data-dir'?: string; to?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        'data-dir': { type: 'string' },
        to: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${BACKUP_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    console.log(BACKUP_USAGE);
    return 0;
  }
  const dataDir = values['data-dir'];
  const to = values.to;
  if (dataDir === undefined || to === undefined) {
    console.error(`backup needs --data-dir and --to\n${BACKUP_USAGE}`);
    return 2;
  }
  try {
    const started = Date.now();
    const { pages } = await backupDatabase(path.resolve(dataDir), path.resolve(to));
    console.log(`Backed up ${pages} pages to ${path.resolve(to)} in ${Date.now() - started} ms`);
    return 0;
  } catch (error) {
    console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
