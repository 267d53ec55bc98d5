import { useQuery } from '@tanstack/react-query';
import { getApi } from './api.ts';
import { unwrap } from './query.ts';

/** The licenses' place in the cache; a license job that settles invalidates it. */
export const LICENSES_KEY = ['licenses'] as const;

/** License types with their totals and assignments (the Licenses column, Update Licenses). */
export function useLicenses() {
  return useQuery({ queryKey: LICENSES_KEY, queryFn: () => unwrap(getApi().listLicenses()) });
}
