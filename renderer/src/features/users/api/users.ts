import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { User } from '../../../../../shared/api/index.ts';
import type {
  LastAction,
  SelectionSummary,
  UsersList,
  UsersLoad,
} from '../../../../../shared/ipc/index.ts';
import { getApi } from '../../../lib/api.ts';
import { unwrap } from '../../../lib/query.ts';

/** Everything the users feature keeps in the cache is under this key (one backend's users). */
export const USERS_KEY = ['users'] as const;
const LOCATIONS_KEY = ['users', 'locations'] as const;
export const LAST_ACTIONS_KEY = ['users', 'last-actions'] as const;

/** Every location, for the picker. */
export function useLocations() {
  return useQuery({
    queryKey: LOCATIONS_KEY,
    queryFn: () => unwrap(getApi().listLocations()),
  });
}

/**
 * How far the main process has read a list's users (a location's, or all): asking starts the
 * read, and main's `onUsersChanged` events tell each step after. The rows themselves stay in
 * main; the table asks for those it draws.
 *
 * Kept in React state, not the query cache: it is pushed by events, and an answer and an event
 * can cross. Each is merged with a functional update against the newest state, by version
 * (versions only grow), so an older one never replaces a newer one. It listens before it asks,
 * so no step between the two is missed.
 */
export function useUsersLoad(list: UsersList) {
  const [load, setLoad] = useState<UsersLoad | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const take = useCallback((next: UsersLoad) => setLoad((before) => newer(before, next)), []);
  useEffect(() => {
    const api = getApi();
    let live = true;
    const off = api.onUsersChanged((next) => {
      if (next.list === list) take(next);
    });
    void api.loadUsers({ list, retry: false }).then((answer) => {
      if (!live) return;
      if (answer.ok) take(answer.data);
      else setError(answer.message);
    });
    return () => {
      live = false;
      off();
    };
  }, [list, take]);
  const retry = useCallback(async () => {
    setError(null);
    const answer = await getApi().loadUsers({ list, retry: true });
    if (answer.ok) take(answer.data);
    else setError(answer.message);
  }, [list, take]);
  const client = useQueryClient();
  /** Reads the list again from the backend; the locations' counts are asked for again too. */
  const reload = useCallback(async () => {
    setError(null);
    const answer = await getApi().reloadUsers({ list });
    if (answer.ok) take(answer.data);
    else setError(answer.message);
    await client.invalidateQueries({ queryKey: LOCATIONS_KEY });
  }, [client, list, take]);
  return { load, error, retry, reload };
}

const newer = (before: UsersLoad | undefined, load: UsersLoad): UsersLoad =>
  before !== undefined && before.version > load.version ? before : load;

/** These users as main has them (null for one no list holds), for a dialog. */
export async function usersByIds(userIds: readonly string[]): Promise<(User | null)[]> {
  if (userIds.length === 0) return [];
  const answer = await unwrap(getApi().usersByIds({ userIds: [...userIds] }));
  return answer.users;
}

/** What the dialogs about these users show of them, made in main (counts, the first few). */
export async function selectionSummary(userIds: readonly string[]): Promise<SelectionSummary> {
  return unwrap(getApi().selectionSummary({ userIds: [...userIds] }));
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
 * Sets or clears a user's email. Main puts the answer (the user as the backend now has it) into
 * its loaded lists, and its `onUsersChanged` event redraws the table.
 */
export function useUpdateUser() {
  return useMutation({
    mutationFn: (input: { userId: string; email: string | null }) =>
      unwrap(getApi().updateUser(input)),
  });
}
