import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BackendThreadError,
  startBackendThread,
} from '../../../electron/backend/thread/backend-thread.ts';
import { createLogger } from '../../../shared/log/index.ts';

const freshDir = () => mkdtempSync(path.join(tmpdir(), 'passdesk-thread-'));

describe('the built-in backend on a thread of its own', { timeout: 30_000 }, () => {
  it('serves the API, sends its log lines up (redacted), and stops when closed', async () => {
    const lines: string[] = [];
    const backend = await startBackendThread(
      { dataDir: freshDir(), seed: 'demo', hashCost: 'test', staticDir: null },
      createLogger({ sink: (line) => lines.push(line) }),
    );
    let closed = false;
    try {
      const health = await fetch(`${backend.url}/api/v1/health`);
      expect(health.status).toBe(200);
      const users = await fetch(`${backend.url}/api/v1/users?limit=3`, {
        headers: { Authorization: `Bearer ${backend.adminToken}` },
      });
      expect(((await users.json()) as { users: unknown[] }).users).toHaveLength(3);
      expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(
        expect.arrayContaining(['seeded the database', 'backend listening']),
      );
      expect(lines.join('\n')).not.toContain(backend.adminToken);
      await backend.close();
      closed = true;
      await expect(fetch(`${backend.url}/api/v1/health`)).rejects.toThrow();
    } finally {
      if (!closed) await backend.close();
    }
  });

  it('rejects with the reason when the backend cannot start', async () => {
    const file = path.join(freshDir(), 'not-a-folder');
    writeFileSync(file, '');
    const start = startBackendThread(
      { dataDir: path.join(file, 'backend'), hashCost: 'test', staticDir: null },
      createLogger({ sink: () => undefined }),
    );
    await expect(start).rejects.toThrow(BackendThreadError);
    await expect(start).rejects.toThrow(/ENOTDIR/u);
    await expect(start).rejects.toMatchObject({ failed: 'backend' });
  });

  it('tells a thread that cannot run from a backend that refused to start', async () => {
    const start = startBackendThread(
      { dataDir: freshDir(), hashCost: 'test', staticDir: null },
      createLogger({ sink: () => undefined }),
      pathToFileURL(path.join(freshDir(), 'no-such-entry.js')),
    );
    await expect(start).rejects.toMatchObject({ name: 'BackendThreadError', failed: 'thread' });
  });

  it('says when its thread dies, and closes at once after that', async () => {
    const lines: string[] = [];
    const backend = await startBackendThread(
      { dataDir: freshDir(), hashCost: 'test', staticDir: null },
      createLogger({ sink: (line) => lines.push(line) }),
      pathToFileURL(path.resolve(import.meta.dirname, '../../fixtures/dying-backend-thread.ts')),
    );
    await expect.poll(() => lines.join('\n')).toContain('the built-in backend stopped');
    const started = Date.now();
    await backend.close();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
