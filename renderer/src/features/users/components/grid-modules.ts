import {
  CellStyleModule,
  ColumnAutoSizeModule,
  InfiniteRowModelModule,
  RenderApiModule,
  RowApiModule,
  RowStyleModule,
  ScrollApiModule,
  type Module,
} from 'ag-grid-community';

/**
 * The grid features the users table uses besides its row model (AG Grid community): the
 * benchmark's plain grid takes the same, with the client-side row model instead.
 */
export const GRID_FEATURE_MODULES: Module[] = [
  CellStyleModule,
  ColumnAutoSizeModule,
  RenderApiModule,
  RowApiModule,
  RowStyleModule,
  ScrollApiModule,
];

/** The users table's modules: its features, on the infinite row model (rows asked of main). */
export const USERS_GRID_MODULES: Module[] = [InfiniteRowModelModule, ...GRID_FEATURE_MODULES];
