import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf, Settings } from '../../../../../shared/ipc/index.ts';
import type { SettingsUpdate } from '../../../../../shared/settings/index.ts';
import { getApi } from '../../../lib/api.ts';
import { unwrap } from '../../../lib/query.ts';

export const SETTINGS_KEY = ['settings'] as const;

export function useSettings() {
  return useQuery({ queryKey: SETTINGS_KEY, queryFn: () => unwrap(getApi().getSettings()) });
}

/**
 * Saves a change of settings (only the fields given); a change of backend switches PassDesk
 * over to it within the call. The answer is the settings as they now are.
 */
export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SettingsUpdate) => unwrap(getApi().updateSettings(input)),
    onSuccess: (settings: Settings) => client.setQueryData(SETTINGS_KEY, settings),
  });
}

/** Checks a backend from the values typed, before they are saved; changes nothing. */
export function useTestConnection() {
  return useMutation({
    mutationFn: (input: InputOf<'testConnection'>) => unwrap(getApi().testConnection(input)),
  });
}
