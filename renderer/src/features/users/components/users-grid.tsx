import type {
  ColDef,
  GridReadyEvent,
  RowDoubleClickedEvent,
  ValueGetterParams,
} from 'ag-grid-community';
import 'ag-grid-community/styles/ag-grid.css';
import 'ag-grid-community/styles/ag-theme-quartz.css';
import { AgGridReact } from 'ag-grid-react';
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  type MouseEvent as ReactMouseEvent,
} from 'react';
import type { User } from '../../../../../shared/api/index.ts';
import type { LastAction } from '../../../../../shared/ipc/index.ts';
import { OverflowTip } from '../../../components/overflow-tip/overflow-tip.tsx';
import { lastActionText, lastActionTone } from '../model/last-action.ts';
import { SELECT_COLUMN, type GridActions } from '../model/grid-actions.ts';
import { USERS_GRID_MODULES } from './grid-modules.ts';
import {
  SelectAllHeader,
  SelectCell,
  type SelectAllHeaderParams,
  type SelectCellParams,
} from './select-column.tsx';
import './users-grid.css';

export interface UsersGridProps {
  locationNames: ReadonlyMap<string, string>;
  /** License names by id, for the Licenses column. */
  licenseNames: ReadonlyMap<string, string>;
  lastActions: ReadonlyMap<string, LastAction>;
  /** The table's selection and what it does to the grid; the same object for the grid's life. */
  actions: GridActions;
  /** A row was double-clicked (Edit user). */
  onRowDoubleClicked: (user: User) => void;
}

const DEFAULT_COLUMN: ColDef<User> = { resizable: true, sortable: true };
const rowIdOf = (p: { data: User }): string => p.data.id;
/**
 * Rows per block asked of main: a screen or two of rows, so a block costs main and the window
 * well under a millisecond, and a scroll to anywhere shows its rows within a frame or two.
 */
const BLOCK_ROWS = 100;
/** Blocks kept (the rows near those on screen); farther ones are asked for again if needed. */
const MAX_BLOCKS = 60;
/** The grid's own overlays say "No Rows": the table shows its own empty states instead. */
const NO_GRID_OVERLAYS: ('noRows' | 'noMatchingRows')[] = ['noRows', 'noMatchingRows'];

/** The grid re-renders only when its data or columns change, not on every selection. */
export const UsersGrid = memo(function UsersGrid(props: UsersGridProps) {
  const { locationNames, licenseNames, lastActions, actions } = props;
  // The columns read these through refs and stay the same objects; when the data changes, only
  // the cells that show it are refreshed (new column definitions would not redraw the cells).
  const names = useRef(locationNames);
  const outcomes = useRef(lastActions);
  const licenses = useRef(licenseNames);
  useEffect(() => {
    licenses.current = licenseNames;
    actions.refreshColumns(['licenses']);
  }, [actions, licenseNames]);
  useEffect(() => {
    names.current = locationNames;
    actions.refreshColumns(['location']);
  }, [actions, locationNames]);
  useEffect(() => {
    outcomes.current = lastActions;
    actions.refreshColumns(['lastAction']);
    // Main sorts by them too: a table sorted by last action asks for its rows again.
    actions.refreshRows();
  }, [actions, lastActions]);

  const columns = useMemo(() => {
    const tone = (user: User | undefined) => {
      const last = user === undefined ? undefined : outcomes.current.get(user.id);
      return last === undefined ? null : lastActionTone(last);
    };
    const select: ColDef<User> = {
      colId: SELECT_COLUMN,
      headerName: 'Selected',
      width: 48,
      resizable: false,
      sortable: false,
      lockPosition: 'left',
      cellClass: 'users-grid__select',
      headerClass: 'users-grid__select',
      cellRenderer: SelectCell,
      cellRendererParams: { selection: actions.selection } satisfies SelectCellParams,
      headerComponent: SelectAllHeader,
      headerComponentParams: {
        counts: { get: actions.counts, subscribe: actions.subscribeCounts },
        onToggle: () => void actions.toggleAllShown(),
      } satisfies SelectAllHeaderParams,
    };
    const defs: ColDef<User>[] = [
      select,
      { field: 'id', headerName: 'User ID', width: 150 },
      {
        colId: 'name',
        headerName: 'Name',
        flex: 1,
        minWidth: 120,
        valueGetter: (p: ValueGetterParams<User>) =>
          p.data === undefined ? '' : `${p.data.firstName} ${p.data.lastName}`,
      },
      { field: 'phoneNumber', headerName: 'Phone number', width: 150 },
      { field: 'extension', headerName: 'Ext.', width: 70 },
      {
        field: 'email',
        headerName: 'Email',
        flex: 1.4,
        minWidth: 180,
        // A row whose block is still on its way has no data: blank, not "no email".
        valueFormatter: (p) =>
          p.data === undefined ? '' : p.value == null ? 'no email' : String(p.value),
        cellClassRules: { 'users-grid__muted': (p) => p.data !== undefined && p.value == null },
      },
      {
        colId: 'location',
        headerName: 'Location',
        width: 150,
        valueGetter: (p: ValueGetterParams<User>) =>
          p.data === undefined ? '' : (names.current.get(p.data.locationId) ?? p.data.locationId),
      },
      {
        field: 'intercepted',
        headerName: 'Intercept',
        width: 100,
        cellDataType: 'text',
        valueFormatter: (p) => (p.value === true ? 'On' : ''),
      },
      {
        colId: 'licenses',
        headerName: 'Licenses',
        width: 130,
        valueGetter: (p: ValueGetterParams<User>) =>
          p.data?.licenses.map((id) => licenses.current.get(id) ?? id).join(', ') ?? '',
      },
      {
        colId: 'lastAction',
        headerName: 'Last action',
        width: 160,
        valueGetter: (p: ValueGetterParams<User>) => {
          const last = p.data === undefined ? undefined : outcomes.current.get(p.data.id);
          return last === undefined ? '' : lastActionText(last);
        },
        cellClassRules: {
          'users-grid__ok': (p) => tone(p.data) === 'ok',
          'users-grid__bad': (p) => tone(p.data) === 'bad',
        },
      },
    ];
    return defs;
  }, [actions]);

  const { onRowDoubleClicked: onDoubleClick } = props;
  const onRowDoubleClicked = useCallback(
    (event: RowDoubleClickedEvent<User>) => {
      if (event.data !== undefined) onDoubleClick(event.data);
    },
    [onDoubleClick],
  );
  const holder = useRef<HTMLDivElement>(null);
  const onGridReady = useCallback(
    (event: GridReadyEvent<User>) => actions.attach(event.api, holder.current),
    [actions],
  );
  const rowClassRules = useMemo(() => actions.selectedRowClass(), [actions]);
  // A click on a row is handled here, as it happens: AG Grid hands its own cellClicked to the
  // page a timer later, so a key pressed right after the click (the Menu key, Space on the
  // header checkbox) would act on the selection as it was before it.
  const onClick = useCallback(
    (event: ReactMouseEvent<HTMLDivElement>) => {
      const target = event.target instanceof Element ? event.target : null;
      const cell = target?.closest('.ag-row[row-id] .ag-cell[col-id]');
      const rowId = cell?.closest('.ag-row[row-id]')?.getAttribute('row-id');
      if (cell == null || rowId == null) return;
      void actions.clickRow(rowId, {
        toggle: event.ctrlKey || event.metaKey,
        range: event.shiftKey,
        checkbox: cell.getAttribute('col-id') === SELECT_COLUMN,
      });
    },
    [actions],
  );

  return (
    <div
      ref={holder}
      className="ag-theme-quartz users-grid"
      data-testid="users-grid"
      onClick={onClick}
    >
      <AgGridReact<User>
        modules={USERS_GRID_MODULES}
        theme="legacy"
        rowModelType="infinite"
        datasource={actions.datasource}
        cacheBlockSize={BLOCK_ROWS}
        maxBlocksInCache={MAX_BLOCKS}
        columnDefs={columns}
        defaultColDef={DEFAULT_COLUMN}
        getRowId={rowIdOf}
        rowClassRules={rowClassRules}
        preventDefaultOnContextMenu
        suppressCellFocus={false}
        animateRows={false}
        rowBuffer={10}
        suppressOverlays={NO_GRID_OVERLAYS}
        onGridReady={onGridReady}
        onModelUpdated={actions.rowsChanged}
        processRowPostCreate={actions.rowCreated}
        onRowDoubleClicked={onRowDoubleClicked}
      />
      {/* Emails and ids cut off in a narrow column: the full value on hover or keyboard focus. */}
      <OverflowTip within={holder} items=".ag-cell" />
    </div>
  );
});
