import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { getApi } from '../../../lib/api.ts';
import { unwrap } from '../../../lib/query.ts';

export const OUTBOX_KEY = ['outbox'] as const;

/**
 * The emails the built-in backend sent, newest first, a page at a time (`fetchNextPage` for
 * older ones). Fetched again each time the Outbox opens: jobs send emails while the app runs.
 */
export function useOutbox() {
  return useInfiniteQuery({
    queryKey: [...OUTBOX_KEY, 'list'],
    queryFn: ({ pageParam }) =>
      unwrap(getApi().listOutbox(pageParam === null ? {} : { cursor: pageParam })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    staleTime: 0,
  });
}

/**
 * One sent email for display (its link's token hidden), or nothing while `id` is null. Fetched
 * again each time it is shown, and never shown from the cache (`gcTime: 0`): the backend's copy
 * loses its link once the link is used, voided or expired, and a cached copy would still offer
 * to open it, if only until the fresh one came.
 */
export function useOutboxMessage(id: number | null) {
  return useQuery({
    queryKey: [...OUTBOX_KEY, 'message', id],
    queryFn: () => unwrap(getApi().getOutboxMessage({ id: id ?? 0 })),
    enabled: id !== null,
    staleTime: 0,
    gcTime: 0,
  });
}

/** Asks the main process to open message `id`'s Reset link in the system browser. */
export function useOpenOutboxLink() {
  return useMutation({
    mutationFn: (id: number) => unwrap(getApi().openOutboxLink({ id })),
  });
}
