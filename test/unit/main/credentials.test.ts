import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorage } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  safeStorageCipher,
  type AsyncSafeStorage,
} from '../../../electron/main/adapters/safe-storage-cipher.ts';
import {
  createCredentialsService,
  NO_CIPHER_WHY,
  type TokenCipher,
} from '../../../electron/main/services/credentials-service.ts';
import {
  memorySettingsStorage,
  type SettingsStorage,
} from '../../../electron/main/services/settings-service.ts';
import { createLogger, type Logger } from '../../../shared/log/index.ts';
import { remoteBackendId } from '../../../shared/settings/settings.ts';

const TOKEN = 'pd_live_9fK2mQ7xR4tV8wZ1cN6bH3';
const OTHER_TOKEN = 'pd_live_Other5Token0With7Digits';
const BACKEND = remoteBackendId('https://Provisioning.Example.com/');
const SECOND = remoteBackendId('https://second.example.net/api');

/** Real AES-256-GCM with a random key, so the ciphertext is real and a wrong key fails. */
class AesGcmCipher implements TokenCipher {
  private key = randomBytes(32);
  state: Awaited<ReturnType<TokenCipher['availability']>> = { encrypted: true };
  encrypts = 0;
  decrypts = 0;
  /** What the next decryptions answer for `shouldReEncrypt`. */
  askToReEncrypt = false;

  availability(): ReturnType<TokenCipher['availability']> {
    return Promise.resolve(this.state);
  }

  encrypt(plain: string): Promise<Uint8Array> {
    this.encrypts += 1;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Promise.resolve(new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), data])));
  }

  decrypt(sealed: Uint8Array): Promise<{ plain: string; shouldReEncrypt: boolean }> {
    this.decrypts += 1;
    return Promise.resolve().then(() => {
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
      return { plain: plain.toString('utf8'), shouldReEncrypt: this.askToReEncrypt };
    });
  }

  /** As if the keychain were replaced: what was sealed before no longer opens. */
  replaceKey(): void {
    this.key = randomBytes(32);
  }
}

/** Memory storage that counts writes and can be made to fail on read. */
class CountingStorage implements SettingsStorage {
  private readonly inner: SettingsStorage;
  writes = 0;
  failReads = false;

  constructor(initial?: unknown) {
    this.inner = memorySettingsStorage(initial);
  }

  read(): unknown {
    if (this.failReads) throw new Error('EACCES: permission denied, open credentials.json');
    return this.inner.read();
  }

  write(value: unknown): void {
    this.writes += 1;
    this.inner.write(structuredClone(value));
  }

  /** Everything stored, as the file on disk would hold it. */
  json(): string {
    return JSON.stringify(this.inner.read() ?? null);
  }
}

/** A Linux safeStorage as Electron has it without a keychain: available, with a fixed key. */
class BasicTextSafeStorage implements AsyncSafeStorage {
  encryptCalls = 0;

  isAsyncEncryptionAvailable(): Promise<boolean> {
    return Promise.resolve(true);
  }

  encryptStringAsync(plainText: string): Promise<Buffer> {
    this.encryptCalls += 1;
    return Promise.resolve(Buffer.from(`v10${plainText}`));
  }

  decryptStringAsync(encrypted: Buffer): ReturnType<SafeStorage['decryptStringAsync']> {
    return Promise.resolve({ result: encrypted.toString().slice(3), shouldReEncrypt: false });
  }

  getSelectedStorageBackend(): ReturnType<SafeStorage['getSelectedStorageBackend']> {
    return 'basic_text';
  }
}

let lines: string[];
let logger: Logger;

beforeEach(() => {
  lines = [];
  logger = createLogger({ sink: (line) => lines.push(line), minLevel: 'debug' });
});

/** The forms in which a token could leak: as it is, and as base64 of its bytes. */
const leaksOf = (token: string): string[] => [
  token,
  Buffer.from(token).toString('base64'),
  Buffer.from(token).toString('base64url'),
];

function expectNoLeak(text: string, token = TOKEN): void {
  for (const form of leaksOf(token)) expect(text).not.toContain(form);
}

function setUp(options: { cipher?: TokenCipher | null; storage?: CountingStorage } = {}) {
  const cipher = options.cipher === undefined ? new AesGcmCipher() : options.cipher;
  const storage = options.storage ?? new CountingStorage();
  const service = createCredentialsService({ storage, cipher, logger });
  return { service, storage, cipher };
}

describe('credentials: kept encrypted', () => {
  it('store only base64 ciphertext, never the token, and say it is encrypted', async () => {
    const { service, storage } = setUp();
    expect(service.status(BACKEND)).toEqual({ set: false, kept: null });

    expect(await service.save(BACKEND, TOKEN)).toEqual({ ok: true, kept: 'encrypted' });

    expect(service.status(BACKEND)).toEqual({ set: true, kept: 'encrypted' });
    expect(service.status(SECOND)).toEqual({ set: false, kept: null });
    const stored = storage.read() as { version: number; tokens: Record<string, string> };
    expect(stored.version).toBe(1);
    expect(Object.keys(stored.tokens)).toEqual(['remote:https://provisioning.example.com']);
    expect(stored.tokens[BACKEND]).toMatch(/^[A-Za-z0-9+/]+={0,2}$/u);
    expectNoLeak(storage.json());
    expectNoLeak(lines.join('\n'));
    expect(await service.storageStatus()).toEqual({ encrypted: true, why: null });
  });

  it('decrypt at every call, caching nothing plain', async () => {
    const cipher = new AesGcmCipher();
    const { service } = setUp({ cipher });
    await service.save(BACKEND, TOKEN);

    expect(await service.token(BACKEND)).toBe(TOKEN);
    expect(await service.token(BACKEND)).toBe(TOKEN);
    expect(await service.token(BACKEND)).toBe(TOKEN);

    expect(cipher.decrypts).toBe(3);
    expect(await service.token(SECOND)).toBeNull();
    expect(cipher.decrypts).toBe(3);
  });

  it('keep tokens of different backends apart, and a new token replaces the old', async () => {
    const { service, storage } = setUp();
    await service.save(BACKEND, TOKEN);
    await service.save(SECOND, OTHER_TOKEN);
    expect(await service.token(BACKEND)).toBe(TOKEN);
    expect(await service.token(SECOND)).toBe(OTHER_TOKEN);

    await service.save(BACKEND, OTHER_TOKEN);
    expect(await service.token(BACKEND)).toBe(OTHER_TOKEN);
    expectNoLeak(storage.json(), OTHER_TOKEN);
  });

  it('store a trimmed token', async () => {
    const { service } = setUp();
    expect(await service.save(BACKEND, `  ${TOKEN}\n`)).toEqual({ ok: true, kept: 'encrypted' });
    expect(await service.token(BACKEND)).toBe(TOKEN);
  });

  it('encrypt again and store the new ciphertext when the system asks for it', async () => {
    const cipher = new AesGcmCipher();
    const { service, storage } = setUp({ cipher });
    await service.save(BACKEND, TOKEN);
    const before = storage.json();
    expect(await service.token(BACKEND)).toBe(TOKEN);
    expect(storage.json()).toBe(before);
    expect(cipher.encrypts).toBe(1);

    cipher.askToReEncrypt = true;
    expect(await service.token(BACKEND)).toBe(TOKEN);
    expect(cipher.encrypts).toBe(2);
    const after = storage.json();
    expect(after).not.toBe(before);
    expectNoLeak(after);

    cipher.askToReEncrypt = false;
    expect(await service.token(BACKEND)).toBe(TOKEN);
    expect(storage.json()).toBe(after);
    expectNoLeak(lines.join('\n'));
  });

  it('remove a token, stored or this run’s', async () => {
    const cipher = new AesGcmCipher();
    const { service, storage } = setUp({ cipher });
    await service.save(BACKEND, TOKEN);
    service.remove(BACKEND);
    expect(service.status(BACKEND)).toEqual({ set: false, kept: null });
    expect(await service.token(BACKEND)).toBeNull();
    expect(storage.read()).toEqual({ version: 1, tokens: {} });

    cipher.state = { encrypted: false, why: 'the system keychain is not available' };
    await service.save(BACKEND, TOKEN);
    service.remove(BACKEND);
    expect(service.status(BACKEND)).toEqual({ set: false, kept: null });
    expect(await service.token(BACKEND)).toBeNull();
  });

  it('let a remove made while a save is under way win', async () => {
    const { service } = setUp();
    const saving = service.save(BACKEND, TOKEN);
    service.remove(BACKEND);
    await saving;
    expect(service.status(BACKEND)).toEqual({ set: false, kept: null });
    expect(await service.token(BACKEND)).toBeNull();
  });
});

describe('credentials: when encryption is not available', () => {
  const WHY = 'the system keychain is not available';

  it('keep the token for this run only, say why, and write nothing', async () => {
    const cipher = new AesGcmCipher();
    cipher.state = { encrypted: false, why: WHY };
    const { service, storage } = setUp({ cipher });

    expect(await service.save(BACKEND, TOKEN)).toEqual({
      ok: true,
      kept: 'this-run-only',
      why: WHY,
    });

    expect(storage.writes).toBe(0);
    expect(storage.read()).toBeUndefined();
    expect(service.status(BACKEND)).toEqual({ set: true, kept: 'this-run-only' });
    expect(await service.token(BACKEND)).toBe(TOKEN);
    expect(cipher.encrypts).toBe(0);
    expect(await service.storageStatus()).toEqual({ encrypted: false, why: WHY });
    expectNoLeak(lines.join('\n'));

    // The next run (a new service over the same storage) has no token.
    const nextRun = createCredentialsService({ storage, cipher, logger });
    expect(nextRun.status(BACKEND)).toEqual({ set: false, kept: null });
  });

  it('remove an older stored ciphertext of that backend, and keep the others', async () => {
    const cipher = new AesGcmCipher();
    const { service, storage } = setUp({ cipher });
    await service.save(BACKEND, OTHER_TOKEN);
    await service.save(SECOND, OTHER_TOKEN);

    cipher.state = { encrypted: false, why: WHY };
    expect(await service.save(BACKEND, TOKEN)).toEqual({
      ok: true,
      kept: 'this-run-only',
      why: WHY,
    });

    const stored = storage.read() as { tokens: Record<string, string> };
    expect(Object.keys(stored.tokens)).toEqual([SECOND]);
    expect(service.status(BACKEND)).toEqual({ set: true, kept: 'this-run-only' });
    expect(await service.token(BACKEND)).toBe(TOKEN);
    expectNoLeak(storage.json());
  });

  it('say so when there is no cipher at all', async () => {
    const { service, storage } = setUp({ cipher: null });
    expect(await service.storageStatus()).toEqual({ encrypted: false, why: NO_CIPHER_WHY });
    expect(await service.save(BACKEND, TOKEN)).toEqual({
      ok: true,
      kept: 'this-run-only',
      why: 'this computer offers no way to encrypt it',
    });
    expect(storage.writes).toBe(0);
  });

  it('refuse Linux’s fixed-key fallback (basic_text), with the reason', async () => {
    const safeStorage = new BasicTextSafeStorage();
    const { service, storage } = setUp({ cipher: safeStorageCipher(safeStorage, 'linux') });

    const result = await service.save(BACKEND, TOKEN);

    expect(result).toEqual({
      ok: true,
      kept: 'this-run-only',
      why: 'no system keychain (Secret Service / KWallet) was found, so Electron would store it with a fixed key (basic_text)',
    });
    expect(safeStorage.encryptCalls).toBe(0);
    expect(storage.writes).toBe(0);
    expect((await service.storageStatus()).encrypted).toBe(false);
  });

  it('keep a stored ciphertext for later while the keychain cannot be used', async () => {
    const cipher = new AesGcmCipher();
    const { service, storage } = setUp({ cipher });
    await service.save(BACKEND, TOKEN);
    const before = storage.json();

    cipher.state = { encrypted: false, why: WHY };
    expect(await service.token(BACKEND)).toBeNull();
    expect(storage.json()).toBe(before);

    cipher.state = { encrypted: true };
    expect(await service.token(BACKEND)).toBe(TOKEN);
  });
});

describe('credentials: a ciphertext that no longer decrypts', () => {
  it('give null, warn without any secret, and then say the token is not set', async () => {
    const cipher = new AesGcmCipher();
    const { service, storage } = setUp({ cipher });
    await service.save(BACKEND, TOKEN);
    await service.save(SECOND, OTHER_TOKEN);

    cipher.replaceKey();
    expect(await service.token(BACKEND)).toBeNull();

    expect(service.status(BACKEND)).toEqual({ set: false, kept: null });
    const stored = storage.read() as { tokens: Record<string, string> };
    expect(Object.keys(stored.tokens)).toEqual([SECOND]);
    const warnings = lines
      .map((line) => JSON.parse(line) as { level: string; message: string; backend?: string })
      .filter((entry) => entry.level === 'warn');
    expect(warnings).toContainEqual(
      expect.objectContaining({
        backend: BACKEND,
        message: expect.stringContaining('could not be decrypted'),
      }),
    );
    expectNoLeak(lines.join('\n'));
    expectNoLeak(lines.join('\n'), OTHER_TOKEN);
  });

  it('treat a data folder copied from another computer the same way', async () => {
    const here = setUp();
    await here.service.save(BACKEND, TOKEN);
    const copied = new CountingStorage(JSON.parse(here.storage.json()));

    const there = setUp({ storage: copied });
    expect(there.service.status(BACKEND)).toEqual({ set: true, kept: 'encrypted' });
    expect(await there.service.token(BACKEND)).toBeNull();
    expect(there.service.status(BACKEND)).toEqual({ set: false, kept: null });
    expectNoLeak(lines.join('\n'));
  });
});

describe('credentials: what is refused', () => {
  const cases: [string, string, RegExp][] = [
    ['empty', '', /empty/u],
    ['only spaces', '   \t ', /empty/u],
    ['a space inside', 'pd_live abc', /spaces/u],
    ['a tab inside', 'pd_live\tabc', /tabs/u],
    ['a line break inside', 'pd_live\nabc', /line breaks/u],
    ['a control character', 'pd_live\u0007abc', /invisible characters/u],
    ['a zero-width space', 'pd_live\u200babc', /invisible characters/u],
    ['a non-breaking space', 'pd_live\u00a0abc', /spaces/u],
    ['too long', 'x'.repeat(4097), /too long \(4097 characters; at most 4096\)/u],
  ];

  it.each(cases)('refuse a token that is %s, with a clear message', async (_, bad, why) => {
    const { service, storage } = setUp();
    await service.save(BACKEND, TOKEN);
    const writes = storage.writes;

    const result = await service.save(BACKEND, bad);

    expect(result).toEqual({ ok: false, code: 'invalid-token', message: expect.any(String) });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.message).toMatch(why);
    expect(result.message).toMatch(/^The API token|^Give the API token/u);
    if (bad.trim() !== '') expect(result.message).not.toContain(bad.trim());
    expect(storage.writes).toBe(writes);
    expect(await service.token(BACKEND)).toBe(TOKEN);
  });

  it('take a token of exactly 4096 characters', async () => {
    const { service } = setUp();
    const longest = 'a'.repeat(4096);
    expect(await service.save(BACKEND, longest)).toEqual({ ok: true, kept: 'encrypted' });
    expect(await service.token(BACKEND)).toBe(longest);
  });
});

describe('credentials: storage that cannot be read', () => {
  const unreadable: [string, unknown][] = [
    ['not an object', 'garbage'],
    ['an array', [1, 2, 3]],
    ['a newer version', { version: 2, tokens: {} }],
    ['a token that is not base64', { version: 1, tokens: { [BACKEND]: 'not base64!' } }],
    ['extra keys', { version: 1, tokens: {}, plain: TOKEN }],
    ['tokens that are not a map', { version: 1, tokens: [TOKEN] }],
  ];

  it.each(unreadable)('count %s as no tokens, and log it', async (_, raw) => {
    const { service, storage } = setUp({ storage: new CountingStorage(raw) });
    expect(service.status(BACKEND)).toEqual({ set: false, kept: null });
    expect(await service.token(BACKEND)).toBeNull();
    expect(lines.some((line) => line.includes('"level":"warn"'))).toBe(true);
    expectNoLeak(lines.join('\n'));

    expect(await service.save(BACKEND, OTHER_TOKEN)).toEqual({ ok: true, kept: 'encrypted' });
    expect(await service.token(BACKEND)).toBe(OTHER_TOKEN);
    expectNoLeak(storage.json(), OTHER_TOKEN);
  });

  it('count a storage that throws on read as no tokens', async () => {
    const storage = new CountingStorage();
    storage.failReads = true;
    const { service } = setUp({ storage });
    expect(service.status(BACKEND)).toEqual({ set: false, kept: null });
    expect(await service.token(BACKEND)).toBeNull();
    expect(lines.join('\n')).toContain('could not be read');
  });

  it('read an empty store (a file never written) as no tokens, quietly', () => {
    const { service } = setUp({ storage: new CountingStorage({}) });
    expect(service.status(BACKEND)).toEqual({ set: false, kept: null });
    expect(lines).toEqual([]);
  });
});
