import { useQuery } from '@tanstack/react-query';
import type { ConnectionStatus } from '../../../shared/ipc/index.ts';
import { getApi } from './api.ts';
import { unwrap } from './query.ts';

/** The connection's place in the cache; backend:connection-changed events write here. */
export const CONNECTION_KEY = ['connection'] as const;

/** How the backend in use is answering, kept current by main's events; null until known. */
export function useConnection(): ConnectionStatus | null {
  const query = useQuery({
    queryKey: CONNECTION_KEY,
    queryFn: () => unwrap(getApi().getConnection()),
  });
  return query.data ?? null;
}
