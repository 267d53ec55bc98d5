import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import type { App, IpcMain, SafeStorage } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronStoreStorage } from '../../../electron/main/adapters/electron-store-storage.ts';
import {
  safeStorageCipher,
  type AsyncSafeStorage,
} from '../../../electron/main/adapters/safe-storage-cipher.ts';
import { createLogger, type Logger } from '../../../shared/log/index.ts';

// electron-store reads `app` and `ipcMain` from Electron's default export when it is imported,
// so the fakes exist before any import (vi.hoisted) and each test points them at its own folder.
const electron = vi.hoisted(() => {
  class FakeStoreApp implements Pick<App, 'getPath' | 'getVersion'> {
    userData = '';
    readonly asked: string[] = [];

    getPath(name: Parameters<App['getPath']>[0]): string {
      this.asked.push(name);
      if (name !== 'userData') throw new Error(`unexpected app.getPath(${name})`);
      return this.userData;
    }

    getVersion(): string {
      return '0.1.0';
    }
  }

  /** `ipcMain.on` with Electron's own parameter types (its `this` return is not needed). */
  class FakeStoreIpcMain {
    readonly listeners = new Map<string, Parameters<IpcMain['on']>[1]>();

    on(channel: Parameters<IpcMain['on']>[0], listener: Parameters<IpcMain['on']>[1]): void {
      this.listeners.set(channel, listener);
    }
  }

  return { app: new FakeStoreApp(), ipcMain: new FakeStoreIpcMain() };
});

vi.mock('electron', () => ({ ...electron, default: electron }));

const onPosix = process.platform !== 'win32';

let dir: string;
let lines: string[];
let logger: Logger;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'passdesk-store-'));
  electron.app.userData = dir;
  lines = [];
  logger = createLogger({ sink: (line) => lines.push(line) });
});

const STORED = {
  version: 1,
  tokens: { 'remote:https://provisioning.example.com': 'c2VhbGVkIGJ5dGVz' },
};

describe('electronStoreStorage', () => {
  it('write and read back <name>.json, in a new instance too', () => {
    const storage = electronStoreStorage('credentials', { cwd: dir, logger });
    expect(storage.read()).toEqual({});

    storage.write(STORED);

    expect(storage.read()).toEqual(STORED);
    expect(electronStoreStorage('credentials', { cwd: dir }).read()).toEqual(STORED);
    expect(JSON.parse(readFileSync(path.join(dir, 'credentials.json'), 'utf8'))).toEqual(STORED);
    expect(lines).toEqual([]);
  });

  it('live in Electron’s userData folder by default', () => {
    electronStoreStorage('settings').write({ version: 2 });
    expect(electron.app.asked).toContain('userData');
    expect([...electron.ipcMain.listeners.keys()]).toEqual(['electron-store-get-data']);
    expect(JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toEqual({
      version: 2,
    });
  });

  it.skipIf(!onPosix)('create the file for its owner only (0600)', () => {
    electronStoreStorage('credentials', { cwd: dir }).write(STORED);
    expect(statSync(path.join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!onPosix)('tighten a file that others could read on the next write', () => {
    const file = path.join(dir, 'settings.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o644);
    electronStoreStorage('settings', { cwd: dir }).write({ version: 2 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('move a file that is not JSON aside, warn with its path, and start empty', () => {
    const file = path.join(dir, 'settings.json');
    const damaged = '{"version": 2, "operatorName": "Ana"';
    writeFileSync(file, damaged);

    const storage = electronStoreStorage('settings', { cwd: dir, logger });

    expect(storage.read()).toEqual({});
    const aside = readdirSync(dir).filter((name) => name.startsWith('settings.json.corrupt-'));
    expect(aside).toHaveLength(1);
    const movedTo = path.join(dir, aside[0]!);
    expect(readFileSync(movedTo, 'utf8')).toBe(damaged);
    const warning = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(warning).toMatchObject({ level: 'warn', file, movedTo });
    expect(warning.message).toContain(movedTo);

    storage.write({ version: 2 });
    expect(storage.read()).toEqual({ version: 2 });
  });

  it('not write over a file that was damaged after it was opened', () => {
    const file = path.join(dir, 'credentials.json');
    const storage = electronStoreStorage('credentials', { cwd: dir, logger });
    storage.write(STORED);
    writeFileSync(file, 'not json at all');

    storage.write({ version: 1, tokens: {} });

    const aside = readdirSync(dir).filter((name) => name.startsWith('credentials.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe('not json at all');
    expect(storage.read()).toEqual({ version: 1, tokens: {} });
  });

  it('read a settings.json written by conf unchanged, and write one conf reads', () => {
    const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings' });
    const settings = {
      version: 2,
      operatorName: 'Renée Okafor',
      backend: 'remote',
      remote: { url: 'https://provisioning.example.com', timeoutSeconds: 30 },
    };
    conf.store = settings;
    const file = path.join(dir, 'settings.json');
    const bytes = readFileSync(file, 'utf8');

    const storage = electronStoreStorage('settings', { cwd: dir, logger });

    expect(storage.read()).toEqual(settings);
    expect(readFileSync(file, 'utf8')).toBe(bytes);

    storage.write(settings);
    expect(readFileSync(file, 'utf8')).toBe(bytes);
    storage.write({ ...settings, operatorName: 'Ana' });
    expect(new Conf({ cwd: dir, configName: 'settings' }).store).toEqual({
      ...settings,
      operatorName: 'Ana',
    });
    expect(lines).toEqual([]);
  });
});

/** Electron's safeStorage as the cipher sees it, with a reversible stand-in for encryption. */
class FakeSafeStorage implements AsyncSafeStorage {
  available = true;
  backend: ReturnType<SafeStorage['getSelectedStorageBackend']> = 'gnome_libsecret';
  askToReEncrypt = false;
  readonly received: Buffer[] = [];

  isAsyncEncryptionAvailable(): Promise<boolean> {
    return Promise.resolve(this.available);
  }

  encryptStringAsync(plainText: string): Promise<Buffer> {
    return Promise.resolve(Buffer.from(`sealed:${plainText}`));
  }

  decryptStringAsync(encrypted: Buffer): ReturnType<SafeStorage['decryptStringAsync']> {
    this.received.push(encrypted);
    const text = encrypted.toString();
    if (!text.startsWith('sealed:')) return Promise.reject(new Error('Error while decrypting'));
    return Promise.resolve({ result: text.slice(7), shouldReEncrypt: this.askToReEncrypt });
  }

  getSelectedStorageBackend(): ReturnType<SafeStorage['getSelectedStorageBackend']> {
    return this.backend;
  }
}

describe('safeStorageCipher', () => {
  it.each([
    ['darwin', 'the macOS Keychain is not available'],
    ['win32', 'Windows data protection (DPAPI) is not available'],
    ['linux', 'no system keychain (Secret Service / KWallet) could be reached'],
    ['freebsd', 'the system keychain is not available'],
  ] as const)('on %s, say why when encryption is not available', async (platform, why) => {
    const safeStorage = new FakeSafeStorage();
    safeStorage.available = false;
    expect(await safeStorageCipher(safeStorage, platform).availability()).toEqual({
      encrypted: false,
      why,
    });
  });

  it.each(['darwin', 'win32', 'freebsd'] as const)(
    'on %s, use the keychain when it is there',
    async (platform) => {
      const safeStorage = new FakeSafeStorage();
      // Only Linux has a choice of stores; elsewhere the answer is not asked for.
      safeStorage.backend = 'basic_text';
      expect(await safeStorageCipher(safeStorage, platform).availability()).toEqual({
        encrypted: true,
      });
    },
  );

  it('on Linux, refuse the fixed key (basic_text), naming the cause', async () => {
    const safeStorage = new FakeSafeStorage();
    safeStorage.backend = 'basic_text';
    expect(await safeStorageCipher(safeStorage, 'linux').availability()).toEqual({
      encrypted: false,
      why: 'no system keychain (Secret Service / KWallet) was found, so Electron would store it with a fixed key (basic_text)',
    });
  });

  it('on Linux, refuse a store Electron cannot name yet (unknown)', async () => {
    const safeStorage = new FakeSafeStorage();
    safeStorage.backend = 'unknown';
    const answer = await safeStorageCipher(safeStorage, 'linux').availability();
    expect(answer).toEqual({ encrypted: false, why: expect.stringContaining('before PassDesk') });
  });

  it.each(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const)(
    'on Linux, use %s',
    async (backend) => {
      const safeStorage = new FakeSafeStorage();
      safeStorage.backend = backend;
      expect(await safeStorageCipher(safeStorage, 'linux').availability()).toEqual({
        encrypted: true,
      });
    },
  );

  it('pass encryption through, bytes and shouldReEncrypt included', async () => {
    const safeStorage = new FakeSafeStorage();
    const cipher = safeStorageCipher(safeStorage, 'linux');

    const sealed = await cipher.encrypt('pd_live_token');
    expect(sealed).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(sealed).toString()).toBe('sealed:pd_live_token');
    expect(await cipher.decrypt(sealed)).toEqual({
      plain: 'pd_live_token',
      shouldReEncrypt: false,
    });

    safeStorage.askToReEncrypt = true;
    // A view into a larger buffer: only its own bytes reach Electron.
    const framed = new Uint8Array([0, 0, ...sealed, 0]).subarray(2, 2 + sealed.length);
    expect(await cipher.decrypt(framed)).toEqual({ plain: 'pd_live_token', shouldReEncrypt: true });
    expect(safeStorage.received.at(-1)?.toString()).toBe('sealed:pd_live_token');

    await expect(cipher.decrypt(new Uint8Array([1, 2, 3]))).rejects.toThrow('decrypting');
  });
});
