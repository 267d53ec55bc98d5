import { useQuery } from '@tanstack/react-query';
import type { AppInfo } from '../../../shared/ipc/index.ts';
import { getApi } from '../lib/api.ts';
import { unwrap } from '../lib/query.ts';

/** The app info's place in the cache; backend:changed events write the new one here. */
export const APP_INFO_KEY = ['app-info'] as const;

/** The app's name and version from the main process, or null until it answers. */
export function useAppInfo(): AppInfo | null {
  const query = useQuery({ queryKey: APP_INFO_KEY, queryFn: () => unwrap(getApi().getAppInfo()) });
  return query.data ?? null;
}
