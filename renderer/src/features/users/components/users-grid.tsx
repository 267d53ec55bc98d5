import type {
  CellContextMenuEvent,
  ColDef,
  GridApi,
  GridReadyEvent,
  RowSelectionOptions,
  ValueGetterParams,
} from 'ag-grid-community';
import 'ag-grid-community/styles/ag-grid.css';
import 'ag-grid-community/styles/ag-theme-quartz.css';
import { AgGridReact } from 'ag-grid-react';
import { memo, useCallback, useMemo } from 'react';
import type { User } from '../../../../../shared/api/index.ts';
import type { LastAction } from '../../../lib/last-action.ts';
import { USERS_GRID_MODULES } from './grid-modules.ts';
import './users-grid.css';

export interface UsersGridProps {
  users: User[];
  locationNames: ReadonlyMap<string, string>;
  lastActions: ReadonlyMap<string, LastAction>;
  quickFilter: string;
  onReady: (api: GridApi<User>) => void;
  onSelectionChanged: () => void;
  onFilterChanged: () => void;
  onCellContextMenu: (event: CellContextMenuEvent<User>) => void;
}

const ROW_SELECTION: RowSelectionOptions = {
  mode: 'multiRow',
  checkboxes: true,
  headerCheckbox: true,
  enableClickSelection: true,
  selectAll: 'filtered',
};

const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  changed: 'Reset',
  rejected: 'Rejected',
  'not-found': 'Not found',
  failed: 'Failed',
  'not-sent': 'Not sent',
  pending: 'In progress',
};

const DEFAULT_COLUMN: ColDef<User> = { resizable: true, sortable: true };
const rowIdOf = (p: { data: User }): string => p.data.id;

/** Columns the quick filter searches: id, name, phone, extension and email. */
const notSearched = (): string => '';

/** The grid re-renders only when its data or columns change, not on every selection. */
export const UsersGrid = memo(function UsersGrid(props: UsersGridProps) {
  const { locationNames, lastActions } = props;
  const columns = useMemo(() => {
    const defs: ColDef<User>[] = [
      { field: 'id', headerName: 'User ID', width: 160 },
      {
        colId: 'name',
        headerName: 'Name',
        flex: 1,
        minWidth: 150,
        valueGetter: (p: ValueGetterParams<User>) =>
          p.data === undefined ? '' : `${p.data.firstName} ${p.data.lastName}`,
      },
      { field: 'phoneNumber', headerName: 'Phone number', width: 140 },
      { field: 'extension', headerName: 'Ext.', width: 80 },
      {
        field: 'email',
        headerName: 'Email',
        flex: 1.4,
        minWidth: 200,
        valueFormatter: (p) => (p.value == null ? 'no email' : String(p.value)),
        cellClassRules: { 'users-grid__muted': (p) => p.value == null },
        getQuickFilterText: (p) => (p.value == null ? '' : String(p.value)),
      },
      {
        colId: 'location',
        headerName: 'Location',
        width: 150,
        valueGetter: (p: ValueGetterParams<User>) =>
          p.data === undefined ? '' : (locationNames.get(p.data.locationId) ?? p.data.locationId),
        getQuickFilterText: notSearched,
      },
      {
        field: 'intercepted',
        headerName: 'Intercept',
        width: 95,
        cellDataType: 'text',
        valueFormatter: (p) => (p.value === true ? 'On' : ''),
        getQuickFilterText: notSearched,
      },
      {
        colId: 'licenses',
        headerName: 'Licenses',
        width: 140,
        valueGetter: (p: ValueGetterParams<User>) => p.data?.licenses.join(', ') ?? '',
        getQuickFilterText: notSearched,
      },
      {
        colId: 'lastAction',
        headerName: 'Last action',
        width: 115,
        valueGetter: (p: ValueGetterParams<User>) => {
          const last = p.data === undefined ? undefined : lastActions.get(p.data.id);
          return last === undefined ? '' : (OUTCOME_WORDS[last.outcome] ?? last.outcome);
        },
        cellClassRules: {
          'users-grid__ok': (p) => p.value === 'Reset',
          'users-grid__bad': (p) => p.value === 'Rejected' || p.value === 'Failed',
        },
        getQuickFilterText: notSearched,
      },
    ];
    return defs;
  }, [locationNames, lastActions]);

  const { onReady } = props;
  const onGridReady = useCallback((event: GridReadyEvent<User>) => onReady(event.api), [onReady]);

  return (
    <div className="ag-theme-quartz users-grid" data-testid="users-grid">
      <AgGridReact<User>
        modules={USERS_GRID_MODULES}
        theme="legacy"
        rowData={props.users}
        columnDefs={columns}
        defaultColDef={DEFAULT_COLUMN}
        getRowId={rowIdOf}
        rowSelection={ROW_SELECTION}
        quickFilterText={props.quickFilter}
        cacheQuickFilter
        preventDefaultOnContextMenu
        suppressCellFocus={false}
        animateRows={false}
        rowBuffer={20}
        onGridReady={onGridReady}
        onSelectionChanged={props.onSelectionChanged}
        onModelUpdated={props.onFilterChanged}
        onCellContextMenu={props.onCellContextMenu}
      />
    </div>
  );
});
