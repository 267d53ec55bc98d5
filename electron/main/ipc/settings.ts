import { fail, ok, type IpcHandlers } from '../../../shared/ipc/index.ts';
import type { SettingsService } from '../services/settings-service.ts';

export function createSettingsHandlers(deps: {
  settings: SettingsService;
}): Pick<IpcHandlers, 'getSettings' | 'updateSettings'> {
  return {
    getSettings: () => Promise.resolve(ok(deps.settings.get())),
    updateSettings: (input) => {
      const result = deps.settings.update(input);
      return Promise.resolve(
        result.ok ? ok(result.settings) : fail('invalid-input', result.message),
      );
    },
  };
}
