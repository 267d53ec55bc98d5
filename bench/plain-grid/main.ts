/**
 * The baseline for `npm run bench:grid`: plain AG Grid (no React, no app) with the same
 * modules, columns and data as PassDesk's users table. Not part of the app.
 */
import {
  createGrid,
  QuickFilterModule,
  RowSelectionModule,
  type IRowNode,
} from 'ag-grid-community';
import 'ag-grid-community/styles/ag-grid.css';
import 'ag-grid-community/styles/ag-theme-quartz.css';
import { USERS_GRID_MODULES } from '../../renderer/src/features/users/components/grid-modules.ts';

interface Row {
  id: string;
  firstName: string;
  lastName: string;
  phoneNumber?: string;
  extension?: string;
  email: string | null;
  locationId: string;
}

const host = document.getElementById('grid');
if (host === null) throw new Error('no #grid');
// The same modules as the app's users table, plus AG Grid's own row selection and quick filter
// (PassDesk keeps its selection and does its search itself).
const modules = [...USERS_GRID_MODULES, RowSelectionModule, QuickFilterModule];

const api = createGrid<Row>(
  host,
  {
    theme: 'legacy',
    columnDefs: [
      { field: 'id' },
      {
        colId: 'name',
        valueGetter: (p) => (p.data === undefined ? '' : `${p.data.firstName} ${p.data.lastName}`),
      },
      { field: 'phoneNumber' },
      { field: 'extension' },
      { field: 'email' },
      { field: 'locationId' },
    ],
    rowSelection: {
      mode: 'multiRow',
      checkboxes: true,
      headerCheckbox: true,
      selectAll: 'filtered',
    },
    getRowId: (p) => p.data.id,
    cacheQuickFilter: true,
    animateRows: false,
  },
  { modules },
);

Object.assign(window, {
  bench: {
    setRows: (rows: Row[]) => api.setGridOption('rowData', rows),
    selectAll: () => api.selectAll('filtered'),
    deselectAll: () => api.deselectAll(),
    inverse: () => {
      const on: IRowNode<Row>[] = [];
      const off: IRowNode<Row>[] = [];
      api.forEachNodeAfterFilter((node) => (node.isSelected() === true ? off : on).push(node));
      api.setNodesSelected({ nodes: off, newValue: false });
      api.setNodesSelected({ nodes: on, newValue: true });
    },
    selectOne: () => {
      api.deselectAll();
      api.getDisplayedRowAtIndex(0)?.setSelected(true);
    },
    quickFilter: (text: string) => api.setGridOption('quickFilterText', text),
    selected: () => api.getSelectedNodes().length,
    shown: () => api.getDisplayedRowCount(),
  },
});
