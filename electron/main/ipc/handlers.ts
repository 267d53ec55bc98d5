import type { IpcHandlers } from '../../../shared/ipc/index.ts';
import { createAppInfoHandlers, type AppInfoDeps } from './app-info.ts';
import { createConnectionHandlers, type ConnectionIpcDeps } from './connection.ts';
import { createJobsHandlers } from './jobs.ts';
import { createOutboxHandlers } from './outbox.ts';
import { createRulesHandlers } from './rules.ts';
import { createSettingsHandlers, type SettingsIpcDeps } from './settings.ts';
import { createUsersHandlers } from './users.ts';
import type { BackendSession } from '../services/backend/backend-session.ts';

export type IpcDeps = AppInfoDeps &
  SettingsIpcDeps &
  ConnectionIpcDeps & {
    /** The session with the backend in use now (it changes when the backend is switched). */
    session: () => BackendSession;
  };

/**
 * The handler map for the whole `shared/ipc` contract, built from plain services. It needs no
 * Electron: the Electron adapter and the Chromium test host both serve it.
 */
export function createIpcHandlers(deps: IpcDeps): IpcHandlers {
  return {
    ...createAppInfoHandlers(deps),
    ...createRulesHandlers(deps),
    ...createUsersHandlers(deps),
    ...createJobsHandlers(deps),
    ...createSettingsHandlers(deps),
    ...createConnectionHandlers(deps),
    ...createOutboxHandlers(deps),
  };
}
