import { fail, ok, type Result } from '../../../shared/ipc/index.ts';
import {
  remoteBackendId,
  type SettingsUpdate,
  type SettingsView,
  type StoredSettings,
} from '../../../shared/settings/index.ts';
import type { BackendManager } from './backend/backend-manager.ts';
import type { BackendConfig } from './backend/backend-session.ts';
import type { CredentialsService } from './credentials-service.ts';
import type { SettingsService } from './settings-service.ts';

/** The backend the settings choose. */
export function backendConfigOf(settings: StoredSettings): BackendConfig {
  if (settings.backend === 'built-in') return { kind: 'built-in' };
  return {
    kind: 'remote',
    url: settings.remote.url,
    timeoutMs: settings.remote.timeoutSeconds * 1000,
    maxConcurrentRequests: settings.remote.maxConcurrentRequests,
  };
}

/**
 * The Settings view's operations: its view (never the token), and a change, checked as a whole
 * before anything is kept — the values, the token, and whether the backend may be switched now.
 * A new token is stored (encrypted) before the switch, so the new session can send it.
 */
export function createSettingsController(deps: {
  settings: SettingsService;
  credentials: CredentialsService;
  backends: Pick<BackendManager, 'busy' | 'switchTo'>;
  osUser: () => string;
}) {
  const { settings, credentials, backends } = deps;

  async function view(): Promise<SettingsView> {
    const stored = settings.get();
    return {
      operatorName: stored.operatorName,
      effectiveOperator: settings.operator(),
      backend: stored.backend,
      remote: stored.remote,
      token:
        stored.remote.url === ''
          ? { set: false, kept: null }
          : credentials.status(remoteBackendId(stored.remote.url)),
      tokenStorage: await credentials.storageStatus(),
    };
  }

  return {
    view,

    async update(update: SettingsUpdate): Promise<Result<SettingsView>> {
      const preview = settings.preview(update);
      if (!preview.ok) return fail('invalid-input', preview.message);
      const next = preview.settings;
      const tokenFor = next.remote.url === '' ? null : remoteBackendId(next.remote.url);
      const newToken = typeof update.token === 'string' ? update.token : null;
      if (update.token !== undefined && tokenFor === null)
        return fail('invalid-input', 'Give the backend’s URL with its API token.');
      if (next.backend === 'remote' && tokenFor !== null) {
        const kept = update.token === undefined && credentials.status(tokenFor).set;
        if (newToken === null && !kept)
          return fail(
            'invalid-input',
            `Give the API token for ${next.remote.url}: PassDesk sends it with every request.`,
          );
      }
      const config = backendConfigOf(next);
      const changes = JSON.stringify(config) !== JSON.stringify(backendConfigOf(settings.get()));
      if (changes) {
        const busy = backends.busy();
        if (busy !== null) return fail('conflict', busy);
      }
      if (tokenFor !== null && newToken !== null) {
        const saved = await credentials.save(tokenFor, newToken);
        if (!saved.ok) return fail('invalid-input', saved.message);
      } else if (tokenFor !== null && update.token === null) credentials.remove(tokenFor);
      if (changes) {
        const refused = await backends.switchTo(config);
        if (refused !== null) return fail('conflict', refused);
      }
      settings.save(next);
      return ok(await view());
    },
  };
}
export type SettingsController = ReturnType<typeof createSettingsController>;
