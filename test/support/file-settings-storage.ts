import Conf from 'conf';
import type { SettingsStorage } from '../../electron/main/services/settings-service.ts';

/**
 * Settings in `<dir>/<name>.json` by conf (the store electron-store is built on), for tests that
 * restart the app on one profile; the app itself uses electron-store
 * (electron/main/adapters/electron-store-storage.ts).
 */
export function fileSettingsStorage(dir: string, name = 'settings'): SettingsStorage {
  const store = new Conf<Record<string, unknown>>({
    cwd: dir,
    configName: name,
    clearInvalidConfig: true,
    configFileMode: 0o600,
  });
  return {
    read: () => store.store,
    write: (value) => {
      store.store = value as Record<string, unknown>;
    },
  };
}
