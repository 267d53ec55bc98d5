import { useQuery } from '@tanstack/react-query';
import type { AppInfo } from '../../../shared/ipc/index.ts';
import { getApi } from '../lib/api.ts';
import { unwrap } from '../lib/query.ts';

/** The app's name and version from the main process, or null until it answers. */
export function useAppInfo(): AppInfo | null {
  const query = useQuery({ queryKey: ['app-info'], queryFn: () => unwrap(getApi().getAppInfo()) });
  return query.data ?? null;
}
