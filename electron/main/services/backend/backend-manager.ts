import type { AppInfo } from '../../../../shared/ipc/index.ts';
import type { Logger } from '../../../../shared/log/index.ts';
import { backendIdOf, type BackendConfig, type BackendSession } from './backend-session.ts';

export interface BackendManagerOptions {
  open: (config: BackendConfig) => Promise<BackendSession>;
  /** Told after every switch, with the new backend (the renderer reloads everything). */
  onSwitched: (target: AppInfo['backend']) => void;
  logger: Logger;
}

/** Why the backend cannot be switched now, in words; null when it can. */
export const SWITCH_WHILE_BUSY =
  'A job is running or being checked on the current backend. Wait for it to finish, or cancel it, then change the backend.';

const sameConfig = (a: BackendConfig, b: BackendConfig): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Owns the session with the backend in use, and switches between backends: one session at a
 * time, never while a job runs or is checked (a job belongs to the backend it was sent to).
 * On a switch the old session is closed first (the built-in backend stops) and the new one
 * opened; if it cannot be opened, the old one is opened again.
 */
export function createBackendManager(options: BackendManagerOptions) {
  let session: BackendSession | null = null;
  let switching: Promise<unknown> | null = null;

  const current = (): BackendSession => {
    if (session === null) throw new Error('no backend session is open');
    return session;
  };

  return {
    current,

    async start(config: BackendConfig): Promise<BackendSession> {
      session = await options.open(config);
      return session;
    },

    /** Why a switch would be refused now, or null. */
    busy: (): string | null =>
      switching !== null || (session?.jobs.active() ?? false) ? SWITCH_WHILE_BUSY : null,

    /**
     * Makes `config` the backend in use. Does nothing when it already is; refuses while busy.
     * Resolves with null once switched, or with why not.
     */
    async switchTo(config: BackendConfig): Promise<string | null> {
      const old = current();
      if (sameConfig(old.config, config)) return null;
      const busy = this.busy();
      if (busy !== null) return busy;
      const work = (async (): Promise<string | null> => {
        await old.close();
        try {
          session = await options.open(config);
        } catch (error) {
          options.logger.error('could not open the chosen backend; back to the one before', {
            backend: backendIdOf(config),
            error,
          });
          session = await options.open(old.config);
          return `PassDesk could not start using that backend (${error instanceof Error ? error.message : String(error)}).`;
        }
        options.logger.info('switched backend', { from: old.id, to: session.id });
        options.onSwitched(session.target);
        return null;
      })();
      switching = work;
      try {
        return await work;
      } finally {
        switching = null;
      }
    },

    async close(): Promise<void> {
      await switching;
      await session?.close();
      session = null;
    },
  };
}
export type BackendManager = ReturnType<typeof createBackendManager>;
