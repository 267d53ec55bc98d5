import { useState, useSyncExternalStore } from 'react';
import { createGridActions, type GridActions, type GridCounts } from '../model/grid-actions.ts';

/** The users table's grid actions (one set per table) and its live counts. */
export function useGridActions(): { counts: GridCounts; actions: GridActions } {
  const [actions] = useState(createGridActions);
  const counts = useSyncExternalStore(actions.subscribeCounts, actions.counts);
  return { counts, actions };
}
