import type {
  GridApi,
  IDatasource,
  IGetRowsParams,
  IRowNode,
  RowClassRules,
} from 'ag-grid-community';
import type { User } from '../../../../../shared/api/index.ts';
import {
  MAX_JOB_USERS,
  SORT_COLUMNS,
  type SortColumn,
  type SortKey,
  type UsersList,
  type UsersLoad,
  type UsersView,
} from '../../../../../shared/ipc/index.ts';
import { createThrottle } from '../../../../../shared/timing/throttle.ts';
import { getApi } from '../../../lib/api.ts';
import { unwrap } from '../../../lib/query.ts';
import { RowSelection } from './row-selection.ts';
import { SELECT_BOX, showChecked } from './select-box.ts';

/** What the status bar, the menu and the header checkbox show. */
export interface GridCounts {
  /** Users shown now: those loaded that match the search. */
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

/** AG Grid's own class for a selected row, so the theme paints it. */
const SELECTED_ROW = 'ag-row-selected';

/** While a list loads, the rows on screen are asked for again at most this often. */
const REFRESH_MS = 200;
/** A view unchanged this long has its ids read ahead, so Select All does not wait for them. */
const IDS_AHEAD_MS = 300;
/**
 * Views of more users than one job may take are not read ahead: their ids (a million, say)
 * would hold up main and the window for what is often never asked.
 */
const IDS_AHEAD_MAX = MAX_JOB_USERS;

const sortColumns: ReadonlySet<string> = new Set(SORT_COLUMNS);

/** The grid's sort model as main's sort keys (first key first). */
function sortOf(model: IGetRowsParams['sortModel']): SortKey[] {
  return model
    .filter((item) => sortColumns.has(item.colId))
    .map((item) => ({ column: item.colId as SortColumn, direction: item.sort }));
}

/**
 * Everything the users table does to its grid and its selection, as stable functions (the grid
 * itself never re-renders for a selection), and the counts as a small store that React reads
 * with `useSyncExternalStore`.
 *
 * The users stay in the main process (see `createUsersTable`): the grid's infinite row model
 * asks main for the blocks of rows it draws, searched and sorted there. The selection is a set
 * of ids kept here; what needs the ids of every user shown (Select All, Inverse, a Shift range,
 * the selection in the table's order) asks main for them, once per view and version of the
 * list. Those operations are asynchronous, so every change of the selection runs in order, one
 * after another; one that needs nothing from main runs at once when none waits.
 */
export function createGridActions(list: UsersList) {
  const selection = new RowSelection();
  let api: GridApi<User> | null = null;
  let root: HTMLElement | null = null;
  let search = '';
  let sort: SortKey[] = [];
  /** The list's last known version: ids and counts made before it are stale. */
  let version = -1;
  /** Rows in the view, from main's last answer for it; null before one. */
  let matching: number | null = null;
  let counts: GridCounts = { shown: 0, selected: 0, selectedShown: 0 };
  const countListeners = new Set<() => void>();

  const live = (): GridApi<User> | null => (api === null || api.isDestroyed() ? null : api);
  const view = (): UsersView => ({ list, search, sort });
  const keyOf = (of: UsersView): string =>
    JSON.stringify([of.search.trim().toLowerCase(), of.sort]);

  // --- the ids of the view, from main ---------------------------------------------------------
  let idsKept: { key: string; version: number; ids: Promise<string[]> } | null = null;
  /** The ids of every user shown, in the table's order. */
  const shownIds = (): Promise<string[]> => {
    const key = keyOf(view());
    if (idsKept?.key === key && idsKept.version === version) return idsKept.ids;
    const ids = unwrap(getApi().viewIds(view())).then((answer) => answer.ids);
    idsKept = { key, version, ids };
    // A failure is told to whoever asked; the next ask tries again.
    ids.catch(() => {
      if (idsKept?.ids === ids) idsKept = null;
    });
    return ids;
  };

  /**
   * Reads the view's ids ahead, once it has stayed the same a moment and its list is read:
   * Select All, Inverse or a Shift range then find them here instead of waiting for main
   * (about 100 ms at 100,000 users).
   */
  let aheadTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the list shown was read whole (its last page came); null while it is first read. */
  let readAt: string | null = null;
  const readIdsAhead = (): void => {
    if (aheadTimer !== null) clearTimeout(aheadTimer);
    aheadTimer = null;
    if (readAt === null) return;
    aheadTimer = setTimeout(() => {
      aheadTimer = null;
      if (live() !== null && (matching ?? Infinity) <= IDS_AHEAD_MAX)
        shownIds().catch(() => undefined);
    }, IDS_AHEAD_MS);
  };

  // --- selection changes, in order ------------------------------------------------------------
  let chain: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  /** Runs a change after those asked for before it (at once when none waits). */
  const inOrder = <T>(change: () => T | Promise<T>): Promise<T> => {
    let done: Promise<T>;
    if (waiting === 0) {
      let result: T | Promise<T>;
      try {
        result = change();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      if (!(result instanceof Promise)) return Promise.resolve(result);
      done = result;
    } else done = chain.then(change);
    waiting += 1;
    done = done.finally(() => {
      waiting -= 1;
    });
    chain = done.catch(() => undefined);
    return done;
  };

  // --- counts ---------------------------------------------------------------------------------
  const publish = (next: GridCounts): void => {
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
   * Counts again. With no search every selected user is shown (the selection only ever takes
   * users shown); with one, the selected among those shown are counted from the view's ids.
   */
  const recount = (): void => {
    const shown = matching ?? 0;
    if (search.trim() === '' || selection.size === 0) {
      publish({ shown, selected: selection.size, selectedShown: selection.size });
      return;
    }
    const asked = { key: keyOf(view()), version, selected: selection.version };
    publish({ ...counts, shown, selected: selection.size });
    shownIds().then(
      (ids) => {
        if (asked.key !== keyOf(view()) || asked.version !== version) return;
        if (asked.selected !== selection.version) return;
        let selectedShown = 0;
        for (const id of ids) if (selection.has(id)) selectedShown += 1;
        publish({ shown: matching ?? 0, selected: selection.size, selectedShown });
      },
      () => undefined,
    );
  };

  /**
   * Repaints the rows on screen: their checkboxes, their selected look, and `aria-selected`
   * (which AG Grid sets only for its own selection). All three are set here, on the rows drawn,
   * rather than by having the grid refresh the checkbox cells and evaluate its row class rules
   * again for every row drawn; rows and cells it draws later get them from the rules and from
   * SelectCell, which read the selection then.
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

  // --- the rows, from main ----------------------------------------------------------------------
  /** The oldest list version among the blocks served since the grid last asked for all again. */
  let heldSince = Infinity;
  /** Whether a block served since then came short (it ended the view, which may grow since). */
  let heldShort = false;
  /** The list as main last told it. */
  let lastLoad: UsersLoad | null = null;
  /** Asks for the rows on screen again: `now()`, or `soon()` (at most every `REFRESH_MS`). */
  const refresh = createThrottle(() => {
    heldSince = Infinity;
    heldShort = false;
    live()?.refreshInfiniteCache();
  }, REFRESH_MS);
  const refreshNow = refresh.now;
  const refreshRows = refresh.soon;
  /**
   * Whether the rows the grid holds are still those of the list as it is now: some were served
   * since it last asked for all again, the list only grew since (no user changed or left), they
   * are in the list's order (no sort: new users come after them; no search: their count is the
   * list's, known without asking), and no block came short.
   */
  const rowsHeldCurrent = (load: UsersLoad): boolean =>
    search.trim() === '' &&
    sort.length === 0 &&
    !heldShort &&
    heldSince !== Infinity &&
    load.rewrittenAt <= heldSince;

  const datasource: IDatasource = {
    getRows(params: IGetRowsParams): void {
      const sorted = sortOf(params.sortModel);
      if (JSON.stringify(sorted) !== JSON.stringify(sort)) readIdsAhead();
      sort = sorted;
      const asked = view();
      getApi()
        .usersBlock({ view: asked, start: params.startRow, end: params.endRow })
        .then(
          (answer) => {
            if (!answer.ok) {
              params.failCallback();
              return;
            }
            const { users, matching: rows, load } = answer.data;
            heldSince = Math.min(heldSince, load.version);
            if (users.length < params.endRow - params.startRow) heldShort = true;
            if (keyOf(asked) === keyOf(view())) {
              matching = rows;
              recount();
            }
            params.successCallback(users, rows);
            // Served before the list's last change (the answer was on its way meanwhile), and
            // out of date since: asked for again, as that change would have had it. After the
            // grid took it: a refresh asked while this block still loads would be lost.
            if (lastLoad !== null && load.version < lastLoad.version && !rowsHeldCurrent(lastLoad))
              refreshRows();
          },
          () => params.failCallback(),
        );
    },
  };

  /** The users from the anchor to this row, in the order shown; null without a shown anchor. */
  const rangeTo = async (node: IRowNode<User>): Promise<string[] | null> => {
    const anchor = selection.anchor;
    if (anchor === null || node.rowIndex == null) return null;
    const ids = await shownIds();
    const from = ids.indexOf(anchor);
    if (from < 0) return null;
    return ids.slice(Math.min(from, node.rowIndex), Math.max(from, node.rowIndex) + 1);
  };

  const selectAll = (): Promise<void> => inOrder(async () => selection.add(await shownIds()));

  /** Unselects the users the list no longer holds (gone from the backend when it was read again). */
  const keepSelectedInList = async (): Promise<void> => {
    const { ids } = await unwrap(getApi().viewIds({ list, search: '', sort: [] }));
    selection.retain(new Set(ids));
  };

  /**
   * A click on a row: alone it selects just that user; with Ctrl/Cmd, or on the checkbox, it
   * flips that user; with Shift it takes the users from the anchor to here (added to the
   * selection with Ctrl/Cmd or on the checkbox, else instead of it).
   */
  const click = (node: IRowNode<User>, kind: ClickKind): Promise<void> => {
    const id = node.data?.id;
    if (id === undefined) return Promise.resolve();
    const adds = kind.toggle || kind.checkbox;
    const single = (): void => (adds ? selection.toggle(id) : selection.only(id));
    if (!kind.range || selection.anchor === null) return inOrder(single);
    return inOrder(async () => {
      const range = await rangeTo(node);
      if (range === null) single();
      else if (adds) selection.add(range);
      else selection.replace(range);
    });
  };

  return {
    selection,
    datasource,
    selectedRowClass: (): RowClassRules<User> => ({
      [SELECTED_ROW]: (p) => p.data !== undefined && selection.has(p.data.id),
    }),

    /** Connects the grid, once it is ready, and the element holding it. */
    attach: (grid: GridApi<User>, element: HTMLElement | null): void => {
      api = grid;
      root = element;
      root
        ?.querySelector('[role="grid"], [role="treegrid"]')
        ?.setAttribute('aria-multiselectable', 'true');
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
    /** The grid drew other rows (a block arrived, a scroll): their selected look. */
    rowsChanged: repaint,

    counts: (): GridCounts => counts,
    subscribeCounts: (listener: () => void): (() => void) => {
      countListeners.add(listener);
      return () => countListeners.delete(listener);
    },

    /**
     * The list was read further, or its users changed (main's event): the rows on screen are
     * asked for again (while it loads, at most every `REFRESH_MS`, and only if those held are
     * out of date), and the ids kept go.
     */
    loadChanged: (load: UsersLoad): void => {
      if (load.version === version) return;
      version = load.version;
      lastLoad = load;
      // With no search and no sort, the view is every user loaded, in the order read: its row
      // count is known now, before its rows are asked for again. (Not while no row is shown:
      // every row on screen would be drawn empty until its block came.)
      const shownBefore = matching ?? 0;
      if (
        search.trim() === '' &&
        sort.length === 0 &&
        shownBefore > 0 &&
        load.loaded !== shownBefore
      ) {
        matching = load.loaded;
        live()?.setRowCount(load.loaded, true);
      }
      // Rows out of date are asked for again: at once after the last page (or a failure, or a
      // change after the load), at most every REFRESH_MS while the list loads. Rows still
      // current are kept, the last page's included (the count above is all that changed). The
      // first users of a table that shows none yet (a location just chosen) are asked for at once.
      const current = rowsHeldCurrent(load);
      const firstUsers = shownBefore === 0 && load.loaded > 0 && search.trim() === '';
      if (firstUsers || (load.state !== 'loading' && !current)) refreshNow();
      else if (!current) refreshRows();
      const readNow = load.readAt !== null && load.readAt !== readAt;
      readAt = load.readAt;
      // A read of the list ended (a reload, most often): users no longer in it are unselected.
      if (readNow && selection.size > 0) void inOrder(keepSelectedInList).catch(() => undefined);
      readIdsAhead();
      recount();
    },

    /**
     * Shows only the users matching the search (every word in the id, name, phone, extension or
     * email): main searches, and the grid asks for its rows again.
     */
    search: (query: string): void => {
      if (query.trim().toLowerCase() === search.trim().toLowerCase()) {
        search = query;
        return;
      }
      search = query;
      refreshNow();
      readIdsAhead();
      recount();
    },

    click,
    /** A click on the row of this user (see `click`); nothing for a row not drawn or not loaded. */
    clickRow: (userId: string, kind: ClickKind): Promise<void> => {
      const node = live()?.getRowNode(userId);
      return node === undefined ? Promise.resolve() : click(node, kind);
    },
    /**
     * Keys in the table: Space flips the focused row (Shift+Space: a range), Ctrl/Cmd+A selects
     * all shown. Says whether it handled the key (the caller then prevents its default).
     */
    key: (event: KeyboardEvent): boolean => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
        void selectAll();
        return true;
      }
      // Space on a header cell is the header checkbox's.
      const onHeader = event.target instanceof Element && event.target.closest('.ag-header');
      const focused = event.key === ' ' && !onHeader ? live()?.getFocusedCell() : null;
      const node = focused == null ? undefined : live()?.getDisplayedRowAtIndex(focused.rowIndex);
      if (node?.data === undefined) return false;
      void click(node, { toggle: true, range: event.shiftKey, checkbox: true });
      return true;
    },

    /** Select All: adds every user shown; users a search hides keep their state. */
    selectAll,
    /** Unselect: no one, including users a search hides. */
    unselect: (): Promise<void> => inOrder(() => selection.clear()),
    /** Inverse selection within the users shown. */
    inverse: (): Promise<void> => inOrder(async () => selection.invert(await shownIds())),
    /** The header checkbox: clears the users shown when all are selected, else selects them. */
    toggleAllShown: (): Promise<void> =>
      inOrder(async () => {
        const ids = await shownIds();
        // Fewer selected than shown: not all of them are (no pass over the ids needed).
        const all = ids.length > 0 && selection.size >= ids.length;
        if (all && ids.every((id) => selection.has(id))) {
          const shown = new Set(ids);
          selection.replace([...selection.ids()].filter((id) => !shown.has(id)));
        } else selection.add(ids);
      }),

    /** The selected users as the table shows them (its sort), then any the search hides. */
    selectedInTableOrder: (): Promise<string[]> =>
      inOrder(async () => {
        if (selection.size === 0) return [];
        // One user: nothing to order (and a right-click on a row needs no ids from main).
        if (selection.size === 1) return [...selection.ids()];
        const ids = (await shownIds()).filter((id) => selection.has(id));
        if (ids.length < selection.size) {
          const listed = new Set(ids);
          for (const id of selection.ids()) if (!listed.has(id)) ids.push(id);
        }
        return ids;
      }),

    /** Selects exactly these users among those shown; says how many were and were not. */
    selectOnly: (userIds: readonly string[]): Promise<{ selected: number; missing: number }> =>
      inOrder(async () => {
        const wanted = new Set(userIds);
        const ids = await shownIds();
        const found: string[] = [];
        let firstIndex = -1;
        ids.forEach((id, index) => {
          if (!wanted.has(id)) return;
          if (firstIndex < 0) firstIndex = index;
          found.push(id);
        });
        selection.replace(found, found[0] ?? null);
        if (firstIndex >= 0) live()?.ensureIndexVisible(firstIndex);
        return { selected: found.length, missing: wanted.size - found.length };
      }),

    /**
     * A right-click on a row outside the selection selects that row alone (as file managers
     * do), so the menu acts on what was clicked; on a selected row it keeps the selection.
     */
    selectForMenu: (userId: string): void => {
      if (selection.has(userId) || live()?.getRowNode(userId)?.data === undefined) return;
      void inOrder(() => selection.only(userId));
    },

    /** Redraws these columns' cells on screen (their data changed outside the rows). */
    refreshColumns: (columns: string[]): void => {
      live()?.refreshCells({ columns, force: true });
    },
    /** Asks for the rows on screen again (what a sort reads, such as last actions, changed). */
    refreshRows,

    /** Stops the refresh and the read ahead waiting to run (the table is going). */
    dispose: (): void => {
      refresh.cancel();
      if (aheadTimer !== null) clearTimeout(aheadTimer);
      aheadTimer = null;
    },
  };
}

export type GridActions = ReturnType<typeof createGridActions>;
