import type { Logger } from '../../../shared/log/index.ts';
import {
  checkBackendUrl,
  migrateSettings,
  normalizeBackendUrl,
  OperatorName,
  RemoteBackendSettings,
  StoredSettings,
  type SettingsUpdate,
} from '../../../shared/settings/index.ts';

/** Where settings live: electron-store in the app, memory or a file in tests. */
export interface SettingsStorage {
  read(): unknown;
  write(value: unknown): void;
}

export type { StoredSettings };

const FIELD_NAMES: Record<string, string> = {
  timeoutSeconds: 'Request timeout',
  maxConcurrentRequests: 'Requests at once',
  url: 'Backend URL',
};

/**
 * The operator's settings (see shared/settings): typed, validated on read and on write, with
 * numbered migrations. The renderer reaches them only through IPC. The API token is not here.
 */
export function createSettingsService(
  storage: SettingsStorage,
  osUser: () => string,
  logger?: Logger,
) {
  const read = migrateSettings(storage.read());
  if (read.problem !== null)
    logger?.warn('settings reset to the defaults', { reason: read.problem });
  let current = read.settings;
  // Written back only when it changed: a newer PassDesk's settings are never overwritten here.
  if (read.problem === null) storage.write(current);

  return {
    get: (): StoredSettings => current,
    /** Who the audit names: the operator name, else the computer's user name. */
    operator: (): string => current.operatorName.trim() || osUser(),

    /**
     * The settings after `update`, checked, without saving them: the new value, or what is
     * wrong in words. Says nothing of the token (its check needs the credentials).
     */
    preview(
      update: SettingsUpdate,
    ): { ok: true; settings: StoredSettings } | { ok: false; message: string } {
      const name = OperatorName.safeParse((update.operatorName ?? current.operatorName).trim());
      if (!name.success)
        return {
          ok: false,
          message: `Operator name ${name.error.issues[0]?.message ?? 'is not valid'}.`,
        };
      const remote = RemoteBackendSettings.safeParse({ ...current.remote, ...update.remote });
      if (!remote.success) {
        const issue = remote.error.issues[0];
        const field = FIELD_NAMES[String(issue?.path[0])] ?? 'A backend setting';
        const limits =
          issue?.code === 'too_small' || issue?.code === 'too_big'
            ? ` must be ${issue.path[0] === 'timeoutSeconds' ? '5–600 seconds' : '1–8'}`
            : ' must be a whole number';
        return { ok: false, message: `${field}${limits}.` };
      }
      const backend = update.backend ?? current.backend;
      const url = remote.data.url.trim();
      // The URL must be usable when the remote backend is chosen, or when one is typed.
      const wrong = checkBackendUrl(url);
      const typed = update.remote?.url !== undefined && url !== '';
      if (wrong !== null && (backend === 'remote' || typed)) return { ok: false, message: wrong };
      const next = StoredSettings.parse({
        ...current,
        operatorName: name.data,
        backend,
        remote: { ...remote.data, url: wrong === null ? normalizeBackendUrl(url) : '' },
      });
      return { ok: true, settings: next };
    },

    /** Saves settings checked by `preview`. */
    save(next: StoredSettings): void {
      current = StoredSettings.parse(next);
      storage.write(current);
    },
  };
}
export type SettingsService = ReturnType<typeof createSettingsService>;

export function memorySettingsStorage(initial?: unknown): SettingsStorage {
  let value = initial;
  return {
    read: () => value,
    write: (next) => {
      value = next;
    },
  };
}
