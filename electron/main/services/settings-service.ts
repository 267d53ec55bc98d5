import Conf from 'conf';
import { z } from 'zod';
import type { Settings } from '../../../shared/ipc/index.ts';

/** Where settings live: electron-store in the app, memory in tests. */
export interface SettingsStorage {
  read(): unknown;
  write(value: unknown): void;
}

const OperatorName = z
  .string()
  .max(100)
  .regex(/^[^\p{Cc}]*$/u, 'may not contain control characters');

/** The stored shape, version 1. Validated on every read and every write. */
const StoredSettings = z.strictObject({
  version: z.literal(1),
  operatorName: OperatorName,
});
type StoredSettings = z.infer<typeof StoredSettings>;

/** Numbered migrations: index n turns version n into version n + 1. */
const MIGRATIONS: readonly ((old: Record<string, unknown>) => Record<string, unknown>)[] = [
  // 0 → 1: the first stored settings (nothing, or a bare object).
  (old) => ({
    version: 1,
    operatorName: typeof old.operatorName === 'string' ? old.operatorName : '',
  }),
];

const DEFAULTS: StoredSettings = { version: 1, operatorName: '' };

export function migrateSettings(raw: unknown): StoredSettings {
  let value: Record<string, unknown> =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw)
      ? { ...(raw as Record<string, unknown>) }
      : {};
  const from =
    typeof value.version === 'number' && Number.isInteger(value.version) ? value.version : 0;
  for (let version = from; version < MIGRATIONS.length; version += 1) {
    value = MIGRATIONS[version]?.(value) ?? value;
  }
  const parsed = StoredSettings.safeParse(value);
  return parsed.success ? parsed.data : DEFAULTS;
}

/**
 * The operator's settings, typed and validated on read and on write, with numbered
 * migrations. The renderer reaches them only through IPC.
 */
export function createSettingsService(storage: SettingsStorage, osUser: () => string) {
  let current = migrateSettings(storage.read());
  storage.write(current);
  const view = (): Settings => ({
    operatorName: current.operatorName,
    effectiveOperator: current.operatorName.trim() || osUser(),
  });
  return {
    get: view,
    /** Who the audit names: the operator name, else the computer's user name. */
    operator: (): string => view().effectiveOperator,
    update(patch: {
      operatorName: string;
    }): { ok: true; settings: Settings } | { ok: false; message: string } {
      const next = StoredSettings.safeParse({
        ...current,
        operatorName: patch.operatorName.trim(),
      });
      if (!next.success)
        return {
          ok: false,
          message: `Operator name ${next.error.issues[0]?.message ?? 'is not valid'}.`,
        };
      current = next.data;
      storage.write(current);
      return { ok: true, settings: view() };
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

/** Settings kept in `<dir>/settings.json` by conf (the store electron-store is built on). */
export function fileSettingsStorage(dir: string): SettingsStorage {
  const store = new Conf<Record<string, unknown>>({
    cwd: dir,
    configName: 'settings',
    clearInvalidConfig: true,
  });
  return {
    read: () => store.store,
    write: (value) => {
      store.store = value as Record<string, unknown>;
    },
  };
}
