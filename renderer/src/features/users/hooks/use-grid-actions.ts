import { useEffect, useState, useSyncExternalStore } from 'react';
import type { UsersList } from '../../../../../shared/ipc/index.ts';
import { createGridActions, type GridActions, type GridCounts } from '../model/grid-actions.ts';

/** The users table's grid actions: one set per table (a list), for as long as it is mounted. */
export function useGridActions(list: UsersList): GridActions {
  const [actions] = useState(() => createGridActions(list));
  useEffect(() => actions.dispose, [actions]);
  return actions;
}

/**
 * What a component shows of the table's live counts. It re-renders when `pick`'s answer
 * changes, not on every count: a click that selects a row re-renders the status bar, not the
 * table around it.
 */
export function useGridCounts<T extends GridCounts | number | boolean>(
  actions: GridActions,
  pick: (counts: GridCounts) => T,
): T {
  return useSyncExternalStore(actions.subscribeCounts, () => pick(actions.counts()));
}
