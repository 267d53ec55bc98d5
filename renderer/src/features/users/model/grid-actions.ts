import type { GridApi, IRowNode, RowClassRules } from 'ag-grid-community';
import type { User } from '../../../../../shared/api/index.ts';
import { RowSelection } from './row-selection.ts';
import { SELECT_BOX, showChecked } from './select-box.ts';
import { matchesSearch, searchWords } from './user-search.ts';

/** What the status bar, the menu and the header checkbox show. */
export interface GridCounts {
  /** Users shown now, after the search. */
  shown: number;
  /** Users selected, including any the search hides. */
  selected: number;
  /** Selected users among those shown (the header checkbox's state). */
  selectedShown: number;
}

/** How a row was clicked: Ctrl/Cmd held, Shift held, on its checkbox. */
export interface ClickKind {
  toggle: boolean;
  range: boolean;
  checkbox: boolean;
}

/** The column holding each row's checkbox. */
export const SELECT_COLUMN = 'select';

const NO_COUNTS: GridCounts = { shown: 0, selected: 0, selectedShown: 0 };

/** AG Grid's own class for a selected row, so the theme paints it. */
const SELECTED_ROW = 'ag-row-selected';

/** Marks selected rows as the grid draws them. */
function selectedRowClass(selection: RowSelection): RowClassRules<User> {
  return { [SELECTED_ROW]: (p) => p.data !== undefined && selection.has(p.data.id) };
}

/**
 * Everything the users table does to its grid and its selection, as stable functions (the grid
 * itself never re-renders for a selection), and the counts as a small store that React reads
 * with `useSyncExternalStore`.
 */
export function createGridActions() {
  const selection = new RowSelection();
  let api: GridApi<User> | null = null;
  let root: HTMLElement | null = null;
  let counts = NO_COUNTS;
  let words: readonly string[] = [];
  const countListeners = new Set<() => void>();

  const live = (): GridApi<User> | null => (api === null || api.isDestroyed() ? null : api);

  /**
   * The ids of the users shown from row `first` to row `last`, in the order shown. Read from the
   * grid each time: its events arrive a tick after a change, so a copy kept between them could
   * be stale. (An index loop: the grid's `forEachNodeAfterFilter` walks its node tree
   * recursively, four times slower.)
   */
  const idsShownBetween = (first: number, last: number): string[] => {
    const grid = live();
    const ids: string[] = [];
    for (let index = first; grid !== null && index <= last; index += 1) {
      const id = grid.getDisplayedRowAtIndex(index)?.data?.id;
      if (id !== undefined) ids.push(id);
    }
    return ids;
  };
  const shownIds = (): string[] => idsShownBetween(0, (live()?.getDisplayedRowCount() ?? 0) - 1);

  /**
   * Selected users among those shown. Looking a user up by id costs the grid several times more
   * than reading a row by index, so the selection is walked only when it is much the shorter.
   */
  const countSelectedShown = (shown: number): number => {
    const grid = live();
    if (grid === null || selection.size === 0) return 0;
    let count = 0;
    if (selection.size * 8 < shown) {
      // A user the search hides has no row index.
      for (const id of selection.ids()) if (grid.getRowNode(id)?.rowIndex != null) count += 1;
    } else for (const id of shownIds()) if (selection.has(id)) count += 1;
    return count;
  };

  /** Counts again and tells the readers if anything changed. */
  const recount = (): void => {
    const shown = live()?.getDisplayedRowCount() ?? 0;
    const next = { shown, selected: selection.size, selectedShown: countSelectedShown(shown) };
    if (
      next.shown === counts.shown &&
      next.selected === counts.selected &&
      next.selectedShown === counts.selectedShown
    )
      return;
    counts = next;
    for (const listener of countListeners) listener();
  };

  /**
   * Repaints the rows on screen: their checkboxes, their selected look, and `aria-selected`
   * (which AG Grid sets only for its own selection). All three are set here, on the rows drawn,
   * rather than by having the grid refresh the checkbox cells and evaluate its row class rules
   * again for every row drawn (together about 2 ms of each right-click); rows and cells it
   * draws later get them from the rules and from SelectCell, which read the selection then.
   */
  const repaint = (): void => {
    if (live() === null) return;
    for (const row of root?.querySelectorAll<HTMLElement>('.ag-row[row-id]') ?? []) {
      const selected = selection.has(row.getAttribute('row-id') ?? '');
      row.classList.toggle(SELECTED_ROW, selected);
      row.setAttribute('aria-selected', String(selected));
      const box = row.querySelector<HTMLElement>(`[col-id="${SELECT_COLUMN}"] .${SELECT_BOX}`);
      if (box !== null) showChecked(box, selected);
    }
  };

  selection.subscribe(() => {
    repaint();
    recount();
  });

  /** The users from the anchor to this row, in the order shown; null without a shown anchor. */
  const rangeTo = (node: IRowNode<User>): string[] | null => {
    const anchor = selection.anchor === null ? undefined : live()?.getRowNode(selection.anchor);
    if (anchor?.rowIndex == null || node.rowIndex == null) return null;
    return idsShownBetween(
      Math.min(anchor.rowIndex, node.rowIndex),
      Math.max(anchor.rowIndex, node.rowIndex),
    );
  };

  const selectAll = (): void => selection.add(shownIds());

  /**
   * A click on a row: alone it selects just that user; with Ctrl/Cmd, or on the checkbox, it
   * flips that user; with Shift it takes the users from the anchor to here (added to the
   * selection with Ctrl/Cmd or on the checkbox, else instead of it).
   */
  const click = (node: IRowNode<User>, kind: ClickKind): void => {
    const id = node.data?.id;
    if (id === undefined) return;
    const adds = kind.toggle || kind.checkbox;
    const range = kind.range ? rangeTo(node) : null;
    if (range !== null) {
      if (adds) selection.add(range);
      else selection.replace(range);
    } else if (adds) selection.toggle(id);
    else selection.only(id);
  };

  return {
    selection,
    selectedRowClass: () => selectedRowClass(selection),

    /** Connects the grid, once it is ready, and the element holding it. */
    attach: (grid: GridApi<User>, element: HTMLElement | null): void => {
      api = grid;
      root = element;
      root
        ?.querySelector('[role="grid"], [role="treegrid"]')
        ?.setAttribute('aria-multiselectable', 'true');
      // A search typed before the grid was ready (the table remounts on a location change).
      if (words.length > 0) grid.onFilterChanged();
      repaint();
      recount();
    },
    /** A row element the grid has just created (scrolled into view): its `aria-selected`. */
    rowCreated: ({ eRow, node }: { eRow: HTMLElement; node: IRowNode<User> }): void => {
      eRow.setAttribute(
        'aria-selected',
        String(node.data !== undefined && selection.has(node.data.id)),
      );
    },
    /** Call when the rows shown change (data, search, sort). */
    rowsChanged: recount,

    counts: (): GridCounts => counts,
    subscribeCounts: (listener: () => void): (() => void) => {
      countListeners.add(listener);
      return () => countListeners.delete(listener);
    },

    /**
     * Shows only the users matching the search (every word in the id, name, phone, extension or
     * email). The grid asks the two functions below for each user; no AG Grid quick filter.
     */
    search: (query: string): void => {
      const next = searchWords(query);
      if (next.join(' ') === words.join(' ')) return;
      words = next;
      live()?.onFilterChanged();
      recount();
    },
    /**
     * Always: an empty search matches everyone. So the grid runs, as each page arrives, the very
     * filter pass a keystroke runs, and the first keystroke after a load finds that code warm
     * (cold, the pass cost it 40–60 ms more at 100,000 users); with no words, a user's check is
     * one property read.
     */
    isExternalFilterPresent: (): boolean => true,
    doesExternalFilterPass: (node: IRowNode<User>): boolean =>
      node.data !== undefined && matchesSearch(node.data, words),

    click,
    /**
     * Keys in the table: Space flips the focused row (Shift+Space: a range), Ctrl/Cmd+A selects
     * all shown. Says whether it handled the key (the caller then prevents its default).
     */
    key: (event: KeyboardEvent): boolean => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
        selectAll();
        return true;
      }
      // Space on a header cell is the header checkbox's.
      const onHeader = event.target instanceof Element && event.target.closest('.ag-header');
      const focused = event.key === ' ' && !onHeader ? live()?.getFocusedCell() : null;
      const node = focused == null ? undefined : live()?.getDisplayedRowAtIndex(focused.rowIndex);
      if (node === undefined) return false;
      click(node, { toggle: true, range: event.shiftKey, checkbox: true });
      return true;
    },

    /** Select All: adds every user shown; users a search hides keep their state. */
    selectAll,
    /** Unselect: no one, including users a search hides. */
    unselect: (): void => selection.clear(),
    /** Inverse selection within the users shown. */
    inverse: (): void => selection.invert(shownIds()),
    /** The header checkbox: clears the users shown when all are selected, else selects them. */
    toggleAllShown: (): void => {
      if (counts.shown > 0 && counts.selectedShown === counts.shown) {
        const shown = new Set(shownIds());
        selection.replace([...selection.ids()].filter((id) => !shown.has(id)));
      } else selectAll();
    },

    /** The selected users as the table shows them (its sort), then any the search hides. */
    selectedInTableOrder: (): string[] => {
      const ids = shownIds().filter((id) => selection.has(id));
      if (ids.length < selection.size) {
        const listed = new Set(ids);
        for (const id of selection.ids()) if (!listed.has(id)) ids.push(id);
      }
      return ids;
    },

    /** Selects exactly these users among those shown; says how many were and were not. */
    selectOnly: (userIds: readonly string[]): { selected: number; missing: number } => {
      const grid = live();
      const wanted = new Set(userIds);
      const found = shownIds().filter((id) => wanted.has(id));
      selection.replace(found, found[0] ?? null);
      const firstIndex = found[0] === undefined ? undefined : grid?.getRowNode(found[0])?.rowIndex;
      if (firstIndex != null) grid?.ensureIndexVisible(firstIndex);
      return { selected: found.length, missing: wanted.size - found.length };
    },

    /**
     * A right-click on a row outside the selection selects that row alone (as file managers
     * do), so the menu acts on what was clicked; on a selected row it keeps the selection.
     */
    selectForMenu: (userId: string): void => {
      if (live()?.getRowNode(userId)?.data !== undefined && !selection.has(userId))
        selection.only(userId);
    },

    /** Redraws these columns' cells on screen (their data changed outside the rows). */
    refreshColumns: (columns: string[]): void => {
      live()?.refreshCells({ columns, force: true });
    },
  };
}

export type GridActions = ReturnType<typeof createGridActions>;
