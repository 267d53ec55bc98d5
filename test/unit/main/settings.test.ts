import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSettingsService,
  fileSettingsStorage,
  memorySettingsStorage,
  migrateSettings,
} from '../../../electron/main/services/settings-service.ts';

describe('settings', () => {
  it('migrate nothing, a bare object and garbage to version 1', () => {
    expect(migrateSettings(undefined)).toEqual({ version: 1, operatorName: '' });
    expect(migrateSettings({ operatorName: 'Ana' })).toEqual({ version: 1, operatorName: 'Ana' });
    expect(migrateSettings([1, 2])).toEqual({ version: 1, operatorName: '' });
    expect(migrateSettings({ version: 1, operatorName: 42 })).toEqual({
      version: 1,
      operatorName: '',
    });
  });

  it('fall back to the computer’s user name, and store a trimmed operator name', () => {
    const storage = memorySettingsStorage();
    const settings = createSettingsService(storage, () => 'jdoe');
    expect(settings.get()).toEqual({ operatorName: '', effectiveOperator: 'jdoe' });
    expect(settings.update({ operatorName: '  Renée Okafor ' })).toEqual({
      ok: true,
      settings: { operatorName: 'Renée Okafor', effectiveOperator: 'Renée Okafor' },
    });
    expect(storage.read()).toEqual({ version: 1, operatorName: 'Renée Okafor' });
  });

  it('refuse a name with control characters and keep the old one', () => {
    const settings = createSettingsService(memorySettingsStorage(), () => 'jdoe');
    settings.update({ operatorName: 'Ana' });
    const result = settings.update({ operatorName: 'Ana\u0007Bell' });
    expect(result).toEqual({
      ok: false,
      message: 'Operator name may not contain control characters.',
    });
    expect(settings.operator()).toBe('Ana');
  });

  it('persist in settings.json in the app’s data folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'passdesk-settings-'));
    createSettingsService(fileSettingsStorage(dir), () => 'jdoe').update({ operatorName: 'Ana' });
    expect(JSON.parse(readFileSync(path.join(dir, 'settings.json'), 'utf8'))).toEqual({
      version: 1,
      operatorName: 'Ana',
    });
    expect(createSettingsService(fileSettingsStorage(dir), () => 'jdoe').operator()).toBe('Ana');
  });
});
