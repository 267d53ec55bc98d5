import { ok, type AppInfo, type IpcHandlers } from '../../../shared/ipc/index.ts';

export interface AppInfoDeps {
  appInfo: () => AppInfo;
}

export function createAppInfoHandlers(deps: AppInfoDeps): Pick<IpcHandlers, 'getAppInfo'> {
  return {
    getAppInfo: () => Promise.resolve(ok(deps.appInfo())),
  };
}
