import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { backupDatabase } from '../../../electron/backend/db/backup.ts';
import { startTestBackend } from './harness.ts';

describe('backing up the database', () => {
  it('copies it while the backend runs, with the latest changes, as a private file', async () => {
    const backend = await startTestBackend();
    const to = path.join(mkdtempSync(path.join(tmpdir(), 'passdesk-backup-')), 'copy.sqlite');
    try {
      const edit = await backend.api('PATCH', '/api/v1/users/11635-01', {
        email: 'backed-up@example.com',
      });
      expect(edit.status).toBe(200);
      const { pages } = await backupDatabase(backend.dataDir, to);
      expect(pages).toBeGreaterThan(0);
      expect(statSync(to).mode & 0o777).toBe(0o600);
      const copy = new DatabaseSync(to, { readOnly: true });
      try {
        const row = copy.prepare('SELECT email FROM users WHERE id = ?').get('11635-01') as {
          email: string;
        };
        expect(row.email).toBe('backed-up@example.com');
      } finally {
        copy.close();
      }
      // The backend goes on answering after the copy.
      expect((await backend.api('GET', '/api/v1/users?limit=1')).status).toBe(200);
      await expect(backupDatabase(backend.dataDir, to)).rejects.toThrow(/exists already/u);
    } finally {
      await backend.close();
    }
  });

  it('says so when the folder holds no database', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'passdesk-backup-'));
    await expect(backupDatabase(empty, path.join(empty, 'copy.sqlite'))).rejects.toThrow(
      /no PassDesk database/u,
    );
  });
});

describe('npm run backend -- backup', () => {
  const cli = path.resolve(import.meta.dirname, '../../../electron/backend/cli.ts');
  it('copies a data folder’s database, and says what it needs when it is not told', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'passdesk-backup-'));
    const missing = spawnSync(process.execPath, [cli, 'backup', '--data-dir', dir], {
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/backup needs --data-dir and --to/u);
    const none = spawnSync(
      process.execPath,
      [cli, 'backup', '--data-dir', dir, '--to', path.join(dir, 'copy.sqlite')],
      { encoding: 'utf8' },
    );
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/Backup failed: there is no PassDesk database/u);
  });
});
