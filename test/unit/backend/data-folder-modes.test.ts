/**
 * The data folder is for the backend's own OS user only: folders 0700, files 0600 — the
 * database and its -wal/-shm, the outbox's .eml files, the log — whatever the umask would give.
 */
import { chmodSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../electron/backend/db/database.ts';
import { runCli } from './cli-process.ts';
import { startTestBackend, type TestBackend } from './harness.ts';

const modeOf = (file: string): string => (statSync(file).mode & 0o777).toString(8);

/** Without the backend's care, this is what a new file or folder would get here. */
function umaskLetsOthersRead(root: string): boolean {
  const control = path.join(root, 'control');
  writeFileSync(control, '');
  return (statSync(control).mode & 0o044) !== 0;
}

async function sendLink(backend: TestBackend): Promise<void> {
  const sent = await backend.api('POST', '/api/v1/recovery-emails', { userIds: ['11635-01'] });
  expect(sent.status).toBe(200);
}

function modesIn(dataDir: string) {
  const outbox = path.join(dataDir, 'outbox');
  const database = path.join(dataDir, DATABASE_FILE);
  return {
    dataDir: modeOf(dataDir),
    outbox: modeOf(outbox),
    database: modeOf(database),
    wal: modeOf(`${database}-wal`),
    shm: modeOf(`${database}-shm`),
    eml: [...new Set(readdirSync(outbox).map((name) => modeOf(path.join(outbox, name))))],
  };
}

const PRIVATE = {
  dataDir: '700',
  outbox: '700',
  database: '600',
  wal: '600',
  shm: '600',
  eml: ['600'],
};

describe.skipIf(process.platform === 'win32')('the data folder', () => {
  it('is created 0700, with its database, WAL, shared memory and .eml files 0600', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'passdesk-modes-'));
    expect(umaskLetsOthersRead(root)).toBe(true);
    const backend = await startTestBackend({ dataDir: path.join(root, 'new', 'data') });
    try {
      await sendLink(backend);
      expect(modesIn(backend.dataDir)).toEqual(PRIVATE);
    } finally {
      await backend.close();
    }
  });

  it('is tightened where an older version left the outbox and the database readable', async () => {
    const first = await startTestBackend();
    await sendLink(first);
    await first.close();
    const database = path.join(first.dataDir, DATABASE_FILE);
    chmodSync(path.join(first.dataDir, 'outbox'), 0o755);
    chmodSync(database, 0o644);

    const again = await startTestBackend({ dataDir: first.dataDir });
    try {
      await sendLink(again);
      // The data folder itself is the caller's (mkdtemp made it): only what is inside counts.
      expect({ ...modesIn(again.dataDir), dataDir: 'any' }).toEqual({ ...PRIVATE, dataDir: 'any' });
    } finally {
      await again.close();
    }
  });

  it('gets a logs folder 0700 and a log file 0600 from the standalone backend', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'passdesk-modes-cli-'));
    expect(umaskLetsOthersRead(root)).toBe(true);
    const run = await runCli([], { dataDir: path.join(root, 'data') });
    try {
      expect(run.url, run.stderr).not.toBeNull();
      const logs = path.join(run.dataDir, 'logs');
      expect([modeOf(run.dataDir), modeOf(logs), modeOf(path.join(logs, 'backend.log'))]).toEqual([
        '700',
        '700',
        '600',
      ]);
    } finally {
      await run.stop();
    }
  });
});
