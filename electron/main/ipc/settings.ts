import { ok, type IpcHandlers } from '../../../shared/ipc/index.ts';
import type { SettingsController } from '../services/settings-controller.ts';

export interface SettingsIpcDeps {
  settings: SettingsController;
}

export function createSettingsHandlers(
  deps: SettingsIpcDeps,
): Pick<IpcHandlers, 'getSettings' | 'updateSettings'> {
  return {
    getSettings: async () => ok(await deps.settings.view()),
    updateSettings: (input) => deps.settings.update(input),
  };
}
