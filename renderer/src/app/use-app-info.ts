import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/ipc/index.ts';
import { getApi } from '../lib/api.ts';

/** The app's name and version from the main process, or null until it answers. */
export function useAppInfo(): AppInfo | null {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let live = true;
    void getApi()
      .getAppInfo()
      .then((result) => {
        if (live && result.ok) setInfo(result.data);
      });
    return () => {
      live = false;
    };
  }, []);
  return info;
}
