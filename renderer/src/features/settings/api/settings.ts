import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Settings } from '../../../../../shared/ipc/index.ts';
import { getApi } from '../../../lib/api.ts';
import { unwrap } from '../../../lib/query.ts';

const SETTINGS_KEY = ['settings'] as const;

export function useSettings() {
  return useQuery({ queryKey: SETTINGS_KEY, queryFn: () => unwrap(getApi().getSettings()) });
}

export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { operatorName: string }) => unwrap(getApi().updateSettings(input)),
    onSuccess: (settings: Settings) => client.setQueryData(SETTINGS_KEY, settings),
  });
}
