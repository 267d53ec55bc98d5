import type { GridApi, IRowNode } from 'ag-grid-community';
import { useMemo, useRef, useState } from 'react';
import type { User } from '../../../../../shared/api/index.ts';

export interface GridCounts {
  shown: number;
  selected: number;
}

/**
 * What the users table does to its grid, as stable functions over the grid's API (so the grid
 * itself need not re-render), and the shown/selected counts for the status bar.
 */
export function useGridActions() {
  const api = useRef<GridApi<User> | null>(null);
  const [counts, setCounts] = useState<GridCounts>({ shown: 0, selected: 0 });

  const actions = useMemo(() => {
    const live = (): GridApi<User> | null =>
      api.current === null || api.current.isDestroyed() ? null : api.current;

    const now = (): GridCounts => {
      const grid = live();
      return {
        shown: grid?.getDisplayedRowCount() ?? 0,
        selected: grid?.getSelectedNodes().length ?? 0,
      };
    };

    const refresh = (): void => {
      const next = now();
      // Same numbers, same object: no re-render.
      setCounts((previous) =>
        previous.shown === next.shown && previous.selected === next.selected ? previous : next,
      );
    };

    const shownNodes = (): IRowNode<User>[] => {
      const nodes: IRowNode<User>[] = [];
      live()?.forEachNodeAfterFilter((node) => {
        if (node.data !== undefined) nodes.push(node);
      });
      return nodes;
    };

    return {
      attach: (grid: GridApi<User>): void => {
        api.current = grid;
        refresh();
      },
      refresh,
      now,
      selectAll: (): void => live()?.selectAll('filtered'),
      unselect: (): void => live()?.deselectAll(),

      /**
       * Flips the selection of the users shown. Touching as few rows as possible keeps it fast
       * on 100,000 rows: with few selected, select all shown and clear those; with many, the
       * reverse.
       */
      inverse: (): void => {
        const grid = live();
        if (grid === null) return;
        const on: IRowNode<User>[] = [];
        const off: IRowNode<User>[] = [];
        for (const node of shownNodes()) (node.isSelected() === true ? off : on).push(node);
        if (off.length <= on.length) {
          grid.selectAll('filtered');
          grid.setNodesSelected({ nodes: off, newValue: false });
        } else {
          grid.deselectAll('filtered');
          grid.setNodesSelected({ nodes: on, newValue: true });
        }
      },

      /** The selected users as the table shows them (its sort), then any filtered out. */
      selectedInTableOrder: (): string[] => {
        const grid = live();
        const ids: string[] = [];
        grid?.forEachNodeAfterFilterAndSort((node) => {
          if (node.isSelected() === true && node.data !== undefined) ids.push(node.data.id);
        });
        const listed = new Set(ids);
        for (const user of grid?.getSelectedRows() ?? [])
          if (!listed.has(user.id)) ids.push(user.id);
        return ids;
      },

      /** Selects exactly these users among those shown; says how many were and were not. */
      selectOnly: (userIds: readonly string[]): { selected: number; missing: number } => {
        const grid = live();
        if (grid === null) return { selected: 0, missing: userIds.length };
        const shown = new Set(shownNodes());
        const visible = userIds
          .flatMap((id) => grid.getRowNode(id) ?? [])
          .filter((node) => shown.has(node));
        grid.deselectAll();
        grid.setNodesSelected({ nodes: visible, newValue: true });
        const first = visible[0];
        if (first?.rowIndex != null) grid.ensureIndexVisible(first.rowIndex);
        return { selected: visible.length, missing: userIds.length - visible.length };
      },

      /** Selects the row first when nothing at all is selected (a right-click on it). */
      selectIfNothingSelected: (node: IRowNode<User>): void => {
        if (node.isSelected() !== true && (live()?.getSelectedNodes().length ?? 0) === 0)
          node.setSelected(true);
      },

      refreshLastActions: (): void => {
        live()?.refreshCells({ columns: ['lastAction'], force: true });
      },
    };
  }, []);

  return { counts, actions };
}
export type GridActions = ReturnType<typeof useGridActions>['actions'];
