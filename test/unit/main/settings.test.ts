import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackendConfig } from '../../../electron/main/services/backend/backend-session.ts';
import { createCredentialsService } from '../../../electron/main/services/credentials-service.ts';
import { createSettingsController } from '../../../electron/main/services/settings-controller.ts';
import {
  createSettingsService,
  memorySettingsStorage,
} from '../../../electron/main/services/settings-service.ts';
import { fileSettingsStorage } from '../../support/file-settings-storage.ts';
import { createLogger, silentLogger } from '../../../shared/log/index.ts';
import {
  checkBackendUrl,
  DEFAULT_SETTINGS,
  migrateSettings,
  normalizeBackendUrl,
} from '../../../shared/settings/index.ts';
import { testTokenCipher } from '../../support/test-token-cipher.ts';

const V2 = (fields: object) => ({ ...DEFAULT_SETTINGS, ...fields });

describe('stored settings', () => {
  it('migrate nothing, a bare object, version 1 and garbage to version 2', () => {
    expect(migrateSettings(undefined)).toEqual({ settings: DEFAULT_SETTINGS, problem: null });
    expect(migrateSettings({ operatorName: 'Ana' }).settings).toEqual(V2({ operatorName: 'Ana' }));
    expect(migrateSettings({ version: 1, operatorName: 'Ana' }).settings).toEqual(
      V2({ operatorName: 'Ana', backend: 'built-in' }),
    );
    expect(migrateSettings([1, 2]).settings).toEqual(DEFAULT_SETTINGS);
    const broken = migrateSettings({ ...DEFAULT_SETTINGS, remote: { url: 5 } });
    expect(broken.settings).toEqual(DEFAULT_SETTINGS);
    expect(broken.problem).toMatch(/^the stored settings are not valid \(remote\.url: /u);
  });

  it('never overwrite settings a newer PassDesk wrote', () => {
    const newer = { version: 9, operatorName: 'Ana', somethingNew: true };
    const storage = memorySettingsStorage(newer);
    const lines: string[] = [];
    const settings = createSettingsService(
      storage,
      () => 'jdoe',
      createLogger({ sink: (line) => lines.push(line) }),
    );
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(storage.read()).toBe(newer);
    expect(lines.join('\n')).toContain('written by a newer PassDesk (version 9)');
  });

  it('fall back to the computer’s user name, and store a trimmed operator name', () => {
    const storage = memorySettingsStorage();
    const settings = createSettingsService(storage, () => 'jdoe');
    expect(settings.operator()).toBe('jdoe');
    const preview = settings.preview({ operatorName: '  Renée Okafor ' });
    if (!preview.ok) throw new Error(preview.message);
    settings.save(preview.settings);
    expect(settings.operator()).toBe('Renée Okafor');
    expect(storage.read()).toEqual(V2({ operatorName: 'Renée Okafor' }));
  });

  it.each([
    [{ operatorName: 'Ana\u0007Bell' }, 'Operator name may not contain control characters.'],
    [{ remote: { timeoutSeconds: 2 } }, 'Request timeout must be 5–600 seconds.'],
    [{ remote: { timeoutSeconds: 12.5 } }, 'Request timeout must be a whole number.'],
    [{ remote: { maxConcurrentRequests: 9 } }, 'Requests at once must be 1–8.'],
    [
      { backend: 'remote' as const },
      'Give the backend’s URL, for example https://provisioning.example.com.',
    ],
    [
      { backend: 'remote' as const, remote: { url: 'http://pbx.example.com' } },
      'The backend URL must start with https:// (plain http:// is allowed only to this computer).',
    ],
    [
      { remote: { url: 'https://admin:secret@pbx.example.com' } },
      'Put the API token in its own field, not in the URL.',
    ],
    [
      { remote: { url: 'pbx example' } },
      '“pbx example” is not a URL; give one like https://provisioning.example.com.',
    ],
  ])('refuse %j with what is wrong, keeping the old settings', (update, message) => {
    const storage = memorySettingsStorage();
    const settings = createSettingsService(storage, () => 'jdoe');
    expect(settings.preview(update)).toEqual({ ok: false, message });
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('accept https anywhere and http only to this computer, and spell URLs one way', () => {
    expect(checkBackendUrl('https://pbx.example.com/provisioning/')).toBeNull();
    expect(checkBackendUrl('http://127.0.0.1:8080')).toBeNull();
    expect(checkBackendUrl('http://localhost:8080')).toBeNull();
    expect(checkBackendUrl('http://[::1]:8080')).toBeNull();
    expect(checkBackendUrl('ftp://pbx.example.com')).toBe(
      'The backend URL must start with https://, not ftp://.',
    );
    expect(checkBackendUrl('https://pbx.example.com/?x=1')).toBe(
      'The backend URL cannot have a query (?…) or a fragment (#…).',
    );
    expect(normalizeBackendUrl(' HTTPS://PBX.Example.com:443/api/ ')).toBe(
      'https://pbx.example.com/api',
    );
    const settings = createSettingsService(memorySettingsStorage(), () => 'jdoe');
    const preview = settings.preview({ remote: { url: 'https://PBX.example.com/' } });
    expect(preview.ok && preview.settings.remote.url).toBe('https://pbx.example.com');
  });

  it('persist in settings.json in the app’s data folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'passdesk-settings-'));
    const first = createSettingsService(fileSettingsStorage(dir), () => 'jdoe');
    const preview = first.preview({ operatorName: 'Ana' });
    if (!preview.ok) throw new Error(preview.message);
    first.save(preview.settings);
    expect(JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toEqual(
      V2({ operatorName: 'Ana' }),
    );
    expect(createSettingsService(fileSettingsStorage(dir), () => 'jdoe').operator()).toBe('Ana');
  });
});

/** The settings controller over real services, with a backend manager that records switches. */
function controllerWorld(options: { busy?: string | null; refuse?: string | null } = {}) {
  const storage = memorySettingsStorage();
  const credentialStorage = memorySettingsStorage();
  const settings = createSettingsService(storage, () => 'jdoe');
  const credentials = createCredentialsService({
    storage: credentialStorage,
    cipher: testTokenCipher(),
    logger: silentLogger,
  });
  const switches: BackendConfig[] = [];
  const controller = createSettingsController({
    settings,
    credentials,
    backends: {
      busy: () => options.busy ?? null,
      switchTo: (config) => {
        switches.push(config);
        return Promise.resolve(options.refuse ?? null);
      },
    },
    osUser: () => 'jdoe',
  });
  return { controller, storage, credentialStorage, credentials, switches };
}

const TOKEN = 'pd_live_7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c2e';
const REMOTE = { backend: 'remote' as const, remote: { url: 'https://pbx.example.com' } };

describe('the settings controller', () => {
  it('switches to a remote backend with its token, kept encrypted and never shown', async () => {
    const world = controllerWorld();
    const saved = await world.controller.update({ ...REMOTE, token: TOKEN });
    expect(saved).toMatchObject({
      ok: true,
      data: {
        backend: 'remote',
        remote: { url: 'https://pbx.example.com', timeoutSeconds: 30, maxConcurrentRequests: 4 },
        token: { set: true, kept: 'encrypted' },
        tokenStorage: { encrypted: true, why: null },
      },
    });
    expect(JSON.stringify(saved)).not.toContain(TOKEN);
    expect(JSON.stringify(world.credentialStorage.read())).not.toContain(TOKEN);
    expect(JSON.stringify(world.storage.read())).not.toContain(TOKEN);
    expect(world.switches).toEqual([
      {
        kind: 'remote',
        url: 'https://pbx.example.com',
        timeoutMs: 30_000,
        maxConcurrentRequests: 4,
      },
    ]);
    expect(await world.credentials.token('remote:https://pbx.example.com')).toBe(TOKEN);
  });

  it('needs a token for a remote backend, and a URL for a token', async () => {
    const world = controllerWorld();
    expect(await world.controller.update(REMOTE)).toEqual({
      ok: false,
      code: 'invalid-input',
      message:
        'Give the API token for https://pbx.example.com: PassDesk sends it with every request.',
    });
    expect(await world.controller.update({ token: TOKEN })).toEqual({
      ok: false,
      code: 'invalid-input',
      message: 'Give the backend’s URL with its API token.',
    });
    expect(world.switches).toEqual([]);
    expect(world.storage.read()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps the token when only the timeout changes, and forgets it on request', async () => {
    const world = controllerWorld();
    await world.controller.update({ ...REMOTE, token: TOKEN });
    const longer = await world.controller.update({ remote: { timeoutSeconds: 90 } });
    expect(longer).toMatchObject({ ok: true, data: { token: { set: true } } });
    expect(world.switches.at(-1)).toMatchObject({ timeoutMs: 90_000 });
    const back = await world.controller.update({ backend: 'built-in', token: null });
    expect(back).toMatchObject({ ok: true, data: { backend: 'built-in', token: { set: false } } });
    expect(world.switches.at(-1)).toEqual({ kind: 'built-in' });
    expect(await world.credentials.token('remote:https://pbx.example.com')).toBeNull();
  });

  it('refuses to switch while a job runs, and saves nothing', async () => {
    const world = controllerWorld({ busy: 'A job is running.' });
    expect(await world.controller.update({ ...REMOTE, token: TOKEN })).toEqual({
      ok: false,
      code: 'conflict',
      message: 'A job is running.',
    });
    expect(world.storage.read()).toEqual(DEFAULT_SETTINGS);
    expect(world.credentials.status('remote:https://pbx.example.com').set).toBe(false);
    // The operator name is not the backend: it may change meanwhile.
    expect(await world.controller.update({ operatorName: 'Ana' })).toMatchObject({ ok: true });
  });

  it('keeps the old settings when the switch fails', async () => {
    const world = controllerWorld({ refuse: 'PassDesk could not start using that backend.' });
    expect(await world.controller.update({ ...REMOTE, token: TOKEN })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect(world.storage.read()).toEqual(DEFAULT_SETTINGS);
  });

  it('refuses a token with spaces inside, saying why without quoting it', async () => {
    const world = controllerWorld();
    const result = await world.controller.update({ ...REMOTE, token: 'pd live 123' });
    expect(result).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(JSON.stringify(result)).not.toContain('pd live 123');
    expect(world.switches).toEqual([]);
  });
});
