import { useCallback, useEffect, useRef, useState } from 'react';
import type { Location, User } from '../../../../../shared/api/index.ts';
import { getApi } from '../../../lib/api.ts';

export interface UsersState {
  users: User[];
  /** What the backend says there are, for the chosen location. */
  total: number | null;
  loading: boolean;
  /** What went wrong with the last page; the users loaded so far stay. */
  error: string | null;
}

/** Every location, for the picker; loaded once. */
export function useLocations(): { locations: Location[]; error: string | null } {
  const [state, setState] = useState<{ locations: Location[]; error: string | null }>({
    locations: [],
    error: null,
  });
  useEffect(() => {
    let live = true;
    void getApi()
      .listLocations()
      .then((result) => {
        if (!live) return;
        setState(
          result.ok
            ? { locations: result.data, error: null }
            : { locations: [], error: result.message },
        );
      });
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/**
 * Loads the users of a location (or all) through the main process, page by page, so the table
 * fills as pages arrive. A failed page stops the load with its reason and keeps what came;
 * `retry` goes on from there. Give the component using it a `key` per location, so a new
 * location starts from an empty table.
 */
export function useUsers(locationId: string | null): UsersState & { retry: () => void } {
  const [state, setState] = useState<UsersState>({
    users: [],
    total: null,
    loading: true,
    error: null,
  });
  const cursor = useRef<string | undefined>(undefined);
  const generation = useRef(0);

  const fetchPages = useCallback(
    async (run: number) => {
      const api = getApi();
      for (;;) {
        const result = await api.listUsers({
          limit: 5000,
          ...(locationId === null ? {} : { locationId }),
          ...(cursor.current === undefined ? {} : { cursor: cursor.current }),
        });
        if (run !== generation.current) return;
        if (!result.ok) {
          setState((previous) => ({ ...previous, loading: false, error: result.message }));
          return;
        }
        const page = result.data;
        cursor.current = page.nextCursor ?? undefined;
        setState((previous) => ({
          users: previous.users.concat(page.users),
          total: page.total,
          loading: page.nextCursor !== null,
          error: null,
        }));
        if (page.nextCursor === null) return;
      }
    },
    [locationId],
  );

  useEffect(() => {
    const run = ++generation.current;
    void fetchPages(run);
    return () => {
      generation.current += 1;
    };
  }, [fetchPages]);

  const retry = useCallback(() => {
    setState((previous) => ({ ...previous, loading: true, error: null }));
    void fetchPages(++generation.current);
  }, [fetchPages]);

  return { ...state, retry };
}
