import {
  CellStyleModule,
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  ColumnAutoSizeModule,
  QuickFilterModule,
  RenderApiModule,
  RowApiModule,
  RowSelectionModule,
  ScrollApiModule,
  type Module,
} from 'ag-grid-community';

/** Only the grid features the users table uses (AG Grid community); the benchmark uses them too. */
export const USERS_GRID_MODULES: Module[] = [
  ClientSideRowModelModule,
  ClientSideRowModelApiModule,
  RowSelectionModule,
  QuickFilterModule,
  CellStyleModule,
  ColumnAutoSizeModule,
  RenderApiModule,
  RowApiModule,
  ScrollApiModule,
];
