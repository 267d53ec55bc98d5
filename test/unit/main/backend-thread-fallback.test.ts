import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as BackendThread from '../../../electron/backend/thread/backend-thread.ts';
import { createAppCore } from '../../../electron/main/app-core.ts';
import { memorySettingsStorage } from '../../../electron/main/services/settings-service.ts';
import { createLogger } from '../../../shared/log/index.ts';
import { testTokenCipher } from '../../support/test-token-cipher.ts';

// The backend's thread cannot run here (as in a packaging that cannot load its file).
vi.mock('../../../electron/backend/thread/backend-thread.ts', async (original) => {
  const real = await original<typeof BackendThread>();
  return {
    ...real,
    startBackendThread: () =>
      Promise.reject(
        new real.BackendThreadError('Cannot find module backend-thread-entry.js', 'thread'),
      ),
  };
});

describe('a built-in backend whose thread cannot run', () => {
  it('runs in main instead, says so in the log, and the app works', async () => {
    const lines: string[] = [];
    const sender = { frameUrl: 'http://x/index.html', isMainFrame: true, isOurWindow: true };
    const core = await createAppCore({
      name: 'PassDesk',
      version: '0',
      dataDir: mkdtempSync(path.join(tmpdir(), 'passdesk-fallback-')),
      rendererDir: path.join(tmpdir(), 'no-renderer'),
      hashCost: 'test',
      settingsStorage: memorySettingsStorage(),
      credentialsStorage: memorySettingsStorage(),
      tokenCipher: testTokenCipher(),
      osUser: () => 'tester',
      trustedOrigins: ['http://x'],
      eventSink: () => undefined,
      logger: createLogger({ sink: (line) => lines.push(line) }),
    });
    try {
      const answer = await core.dispatcher.dispatch('users:locations', undefined, sender);
      expect(answer).toMatchObject({ ok: true, data: expect.any(Array) });
      expect((answer as { data: unknown[] }).data.length).toBeGreaterThan(0);
      expect(lines.join('\n')).toContain('cannot run on its own thread; running it in main');
    } finally {
      await core.close();
    }
  });
});
