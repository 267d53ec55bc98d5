import { ok, type AppInfo, type IpcHandlers, type Notice } from '../../../shared/ipc/index.ts';

export interface AppInfoDeps {
  appInfo: () => AppInfo;
  /** The notices the window missed, each once (see `createNoticeBoard`). */
  takeNotices: () => Notice[];
}

export function createAppInfoHandlers(
  deps: AppInfoDeps,
): Pick<IpcHandlers, 'getAppInfo' | 'takeNotices'> {
  return {
    getAppInfo: () => Promise.resolve(ok(deps.appInfo())),
    takeNotices: () => Promise.resolve(ok(deps.takeNotices())),
  };
}
