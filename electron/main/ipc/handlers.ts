import type { IpcHandlers } from '../../../shared/ipc/index.ts';
import { createAppInfoHandlers, type AppInfoDeps } from './app-info.ts';
import { createRulesHandlers, type RulesIpcDeps } from './rules.ts';

export type IpcDeps = AppInfoDeps & RulesIpcDeps;

/**
 * The handler map for the whole `shared/ipc` contract, built from plain services. It needs no
 * Electron: the Electron adapter and the Chromium test host both serve it.
 */
export function createIpcHandlers(deps: IpcDeps): IpcHandlers {
  return {
    ...createAppInfoHandlers(deps),
    ...createRulesHandlers(deps),
  };
}
