import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import type { User, UsersPage } from '../../../../../shared/api/index.ts';
import type { LastAction } from '../../../../../shared/ipc/index.ts';
import { getApi } from '../../../lib/api.ts';
import { errorText, unwrap } from '../../../lib/query.ts';
import type { UserPages } from '../model/row-feed.ts';
import { searchTextOf } from '../model/user-search.ts';
import { createPagesAhead } from './pages-ahead.ts';

/** Everything the users feature keeps in the cache is under this key (one backend's users). */
export const USERS_KEY = ['users'] as const;
/** The list of every location's users. */
const ALL = 'all';
const listKey = (locationId: string | null) => ['users', 'list', locationId ?? ALL] as const;
const LOCATIONS_KEY = ['users', 'locations'] as const;
export const LAST_ACTIONS_KEY = ['users', 'last-actions'] as const;

/** Every location, for the picker. */
export function useLocations() {
  return useQuery({
    queryKey: LOCATIONS_KEY,
    queryFn: () => unwrap(getApi().listLocations()),
  });
}

export interface UsersState {
  /** The users loaded so far, a page at a time, as the cache keeps them (see `createRowFeed`). */
  pages: UserPages;
  /** How many users are loaded. */
  loaded: number;
  /** What the backend says there are, for the chosen location. */
  total: number | null;
  loading: boolean;
  /** What went wrong with the last page; the users loaded so far stay. */
  error: string | null;
  /** Goes on loading from the page that failed. */
  retry: () => void;
}

const NO_PAGES: UserPages = [];

/** Each list's pages, read one ahead (see `createPagesAhead`). */
const usersPages = createPagesAhead((list, cursor) =>
  unwrap(
    getApi().listUsers({
      limit: 5000,
      ...(list === ALL ? {} : { locationId: list }),
      ...(cursor === undefined ? {} : { cursor }),
    }),
  ),
);

/**
 * The users of a location (or all), loaded page by page through the main process so the table
 * fills as pages arrive. A failed page stops the load with its reason and keeps what came.
 * Each page's search texts are made as it arrives, so the first keystroke after a load costs
 * what later ones do.
 */
export function useUsers(locationId: string | null): UsersState {
  const query = useInfiniteQuery({
    queryKey: listKey(locationId),
    queryFn: async ({ pageParam }) => {
      const page = await usersPages.read(locationId ?? ALL, pageParam);
      for (const user of page.users) searchTextOf(user);
      return page;
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: UsersPage) => last.nextCursor ?? undefined,
  });
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = query;
  const data = query.data?.pages;
  // The page count is a dependency: a fast page can come and go within one render.
  const pageCount = data?.length ?? 0;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage, pageCount]);
  // One array per page, not one of every user: a new page costs its own length, not all so far.
  const pages = useMemo(() => data?.map((page) => page.users) ?? NO_PAGES, [data]);
  return {
    pages,
    loaded: pages.reduce((sum, page) => sum + page.length, 0),
    total: data?.at(-1)?.total ?? null,
    loading: query.isPending || hasNextPage || isFetchingNextPage,
    error: query.error === null ? null : errorText(query.error),
    // Nothing came: load from the start; else from the page that failed.
    retry: () => void (data === undefined ? query.refetch() : fetchNextPage()),
  };
}

/**
 * A job is changing users (an intercept or license job's batch may have been applied): a page
 * read ahead before now may show them as they were, so it is asked for again.
 */
export function usersMayHaveChanged(): void {
  usersPages.changed();
}

/**
 * Every user loaded so far, whichever location's list they came in, by id; where two lists
 * hold a user, the one fetched last wins (an inactive list may be older).
 */
export function loadedUsers(client: QueryClient): Map<string, User> {
  const byId = new Map<string, User>();
  const lists = client
    .getQueryCache()
    .findAll({ queryKey: ['users', 'list'] })
    .sort((a, b) => a.state.dataUpdatedAt - b.state.dataUpdatedAt);
  for (const query of lists) {
    const data = query.state.data as InfiniteData<UsersPage> | undefined;
    for (const page of data?.pages ?? []) for (const user of page.users) byId.set(user.id, user);
  }
  return byId;
}

/**
 * Applies a change to these users in every loaded list (a job's outcome, an edit), so the table
 * and any open dialog show it without loading the users again.
 */
export function patchLoadedUsers(
  client: QueryClient,
  userIds: ReadonlySet<string>,
  change: (user: User) => User,
): void {
  if (userIds.size === 0) return;
  usersPages.changed();
  client.setQueriesData<InfiniteData<UsersPage>>({ queryKey: ['users', 'list'] }, (data) =>
    data === undefined
      ? data
      : {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            users: page.users.map((user) => (userIds.has(user.id) ? change(user) : user)),
          })),
        },
  );
}

/** A user as the backend now has it, into every loaded list that holds them. */
export function replaceLoadedUser(client: QueryClient, user: User): void {
  patchLoadedUsers(client, new Set([user.id]), () => user);
}

/** The users loaded so far, looked up by id when a dialog needs their names or emails. */
export function useUserLookup(): (userIds: readonly string[]) => (User | undefined)[] {
  const client = useQueryClient();
  return useCallback(
    (userIds) => {
      const byId = loadedUsers(client);
      return userIds.map((id) => byId.get(id));
    },
    [client],
  );
}

interface LastActionsState {
  asOf: string | null;
  byUser: ReadonlyMap<string, LastAction>;
}

/**
 * Each user's latest outcome, from the main process's journal: all of them first, then only
 * what changed since the last answer (the cache is invalidated when a job settles).
 */
export function useLastActions(): ReadonlyMap<string, LastAction> {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: LAST_ACTIONS_KEY,
    queryFn: async (): Promise<LastActionsState> => {
      const previous = client.getQueryData<LastActionsState>(LAST_ACTIONS_KEY);
      const answer = await unwrap(getApi().lastActions({ since: previous?.asOf ?? null }));
      const byUser = new Map(previous?.byUser);
      for (const entry of answer.entries) byUser.set(entry.userId, entry);
      return { asOf: answer.asOf, byUser };
    },
  });
  return query.data?.byUser ?? EMPTY;
}
const EMPTY: ReadonlyMap<string, LastAction> = new Map();

/**
 * Sets or clears a user's email. The answer (the user as the backend now has it) goes into
 * every loaded list, so the table and any open dialog show the new value at once.
 */
export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { userId: string; email: string | null }) =>
      unwrap(getApi().updateUser(input)),
    onSuccess: async (user) => {
      // A list still loading would overwrite the edit with what it fetched before it.
      await client.cancelQueries({ queryKey: ['users', 'list'] });
      replaceLoadedUser(client, user);
    },
  });
}
