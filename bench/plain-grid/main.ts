/**
 * The baseline for `npm run bench:grid`: plain AG Grid (no React, no app) with PassDesk's ten
 * columns, loading the same pages of users from the same backend (through the bench's proxy,
 * which adds the admin token). It shows the first page as soon as it comes and then sets every
 * row at once, the straightforward linear way. AG Grid's own row selection, quick filter and
 * checkbox column stand in for PassDesk's; a minimal menu opens on right-click. The footer,
 * the progress bar and the menu carry the same test ids, roles and texts as the app's, so the
 * bench waits for the same things on both pages. Not part of the app.
 */
import {
  ClientSideRowModelApiModule,
  ClientSideRowModelModule,
  createGrid,
  QuickFilterModule,
  RowSelectionModule,
  type CellContextMenuEvent,
  type ColDef,
  type GridApi,
  type IRowNode,
  type ValueGetterParams,
} from 'ag-grid-community';
import 'ag-grid-community/styles/ag-grid.css';
import 'ag-grid-community/styles/ag-theme-quartz.css';
import { GRID_FEATURE_MODULES } from '../../renderer/src/features/users/components/grid-modules.ts';

interface Row {
  id: string;
  firstName: string;
  lastName: string;
  phoneNumber?: string;
  extension?: string;
  email: string | null;
  locationId: string;
  intercepted: boolean;
  licenses: string[];
}
interface UsersPage {
  users: Row[];
  nextCursor: string | null;
  total: number;
}
interface Named {
  id: string;
  name: string;
}

const byTestId = (id: string): HTMLElement => {
  const element = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (element === null) throw new Error(`no ${id}`);
  return element;
};
const count = new Intl.NumberFormat('en-US');
const naturalOrder = new Intl.Collator('en', { numeric: true });
const naturally = (a: string | null | undefined, b: string | null | undefined): number =>
  a == null || a === ''
    ? b == null || b === ''
      ? 0
      : -1
    : b == null || b === ''
      ? 1
      : naturalOrder.compare(a, b);
const notSearched = (): string => '';

/** PassDesk's columns, widths and texts; the last four are not searched, as in the app. */
function columns(locations: Map<string, string>, licenses: Map<string, string>): ColDef<Row>[] {
  return [
    { field: 'id', headerName: 'User ID', width: 150, comparator: naturally },
    {
      colId: 'name',
      headerName: 'Name',
      flex: 1,
      minWidth: 120,
      valueGetter: (p: ValueGetterParams<Row>) =>
        p.data === undefined ? '' : `${p.data.firstName} ${p.data.lastName}`,
    },
    { field: 'phoneNumber', headerName: 'Phone number', width: 150, comparator: naturally },
    { field: 'extension', headerName: 'Ext.', width: 70, comparator: naturally },
    {
      field: 'email',
      headerName: 'Email',
      flex: 1.4,
      minWidth: 180,
      valueFormatter: (p) => (p.value == null ? 'no email' : String(p.value)),
      cellClassRules: { muted: (p) => p.value == null },
    },
    {
      colId: 'location',
      headerName: 'Location',
      width: 150,
      valueGetter: (p: ValueGetterParams<Row>) =>
        p.data === undefined ? '' : (locations.get(p.data.locationId) ?? p.data.locationId),
      getQuickFilterText: notSearched,
    },
    {
      field: 'intercepted',
      headerName: 'Intercept',
      width: 100,
      cellDataType: 'text',
      valueFormatter: (p) => (p.value === true ? 'On' : ''),
      getQuickFilterText: notSearched,
    },
    {
      colId: 'licenses',
      headerName: 'Licenses',
      width: 130,
      valueGetter: (p: ValueGetterParams<Row>) =>
        p.data?.licenses.map((id) => licenses.get(id) ?? id).join(', ') ?? '',
      getQuickFilterText: notSearched,
    },
    {
      colId: 'lastAction',
      headerName: 'Last action',
      width: 160,
      valueGetter: () => '',
      getQuickFilterText: notSearched,
    },
  ];
}

/** Total ms spent fetching and parsing the pages, for the bench to read. */
let fetchParseMs = 0;
async function getJson<T>(url: string): Promise<T> {
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const body = (await response.json()) as T;
  fetchParseMs += performance.now() - started;
  return body;
}

function createMenu(api: GridApi<Row>, shownCount: () => number, selectedCount: () => number) {
  let open: HTMLUListElement | null = null;
  const close = () => {
    open?.remove();
    open = null;
  };
  const inverse = () => {
    const on: IRowNode<Row>[] = [];
    const off: IRowNode<Row>[] = [];
    api.forEachNodeAfterFilter((node) => (node.isSelected() === true ? off : on).push(node));
    api.setNodesSelected({ nodes: off, newValue: false });
    api.setNodesSelected({ nodes: on, newValue: true });
  };
  document.addEventListener('mousedown', (event) => {
    if (open !== null && !open.contains(event.target as Node)) close();
  });
  return {
    /** The app's eight items, with the same counts in their labels. */
    show(x: number, y: number) {
      close();
      const selected = selectedCount();
      const items: [string, boolean, () => void][] = [
        ['Reset Password(s)', selected > 0, close],
        ['Forgot Password(s)', selected > 0, close],
        [`Intercept selected (${count.format(selected)})`, selected > 0, close],
        [`Update Licenses (${count.format(selected)})`, selected > 0, close],
        ['Edit user', selected === 1, close],
        [`Select All (${count.format(shownCount())})`, true, () => api.selectAll('filtered')],
        [`Unselect ${count.format(selected)} items`, selected > 0, () => api.deselectAll()],
        ['Inverse selection', true, inverse],
      ];
      const menu = document.createElement('ul');
      menu.setAttribute('role', 'menu');
      menu.setAttribute('aria-label', 'Users');
      menu.tabIndex = -1;
      for (const [label, enabled, run] of items) {
        const item = document.createElement('li');
        item.setAttribute('role', 'menuitem');
        item.textContent = label;
        if (!enabled) item.setAttribute('aria-disabled', 'true');
        item.addEventListener('click', () => {
          if (!enabled) return;
          close();
          run();
        });
        menu.append(item);
      }
      menu.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') close();
      });
      menu.addEventListener('contextmenu', (event) => event.preventDefault());
      menu.style.left = `${x}px`;
      menu.style.top = `${y + 2}px`;
      document.body.append(menu);
      menu.focus();
      open = menu;
    },
  };
}

async function main(): Promise<void> {
  const host = document.getElementById('grid');
  if (host === null) throw new Error('no #grid');
  // The app's grid area, so that as many rows are drawn.
  const size = new URLSearchParams(location.search);
  host.style.width = `${size.get('width') ?? '1254'}px`;
  host.style.height = `${size.get('height') ?? '443'}px`;

  const [locations, licenses] = await Promise.all([
    getJson<Named[]>('/api/v1/locations'),
    getJson<Named[]>('/api/v1/licenses'),
  ]);
  let total: number | null = null;
  let selected = 0;
  const shownText = () =>
    `${count.format(api.getDisplayedRowCount())} shown of ${count.format(total ?? 0)} users`;
  const api = createGrid<Row>(
    host,
    {
      theme: 'legacy',
      columnDefs: columns(
        new Map(locations.map((l) => [l.id, l.name])),
        new Map(licenses.map((l) => [l.id, l.name])),
      ),
      defaultColDef: { resizable: true, sortable: true },
      rowSelection: {
        mode: 'multiRow',
        checkboxes: true,
        headerCheckbox: true,
        selectAll: 'filtered',
        enableClickSelection: true,
      },
      selectionColumnDef: { width: 48, resizable: false, sortable: false, lockPosition: 'left' },
      getRowId: (p) => p.data.id,
      cacheQuickFilter: true,
      animateRows: false,
      rowBuffer: 10,
      preventDefaultOnContextMenu: true,
      onModelUpdated: () => (byTestId('shown-count').textContent = shownText()),
      onSelectionChanged: () => {
        selected = api.getSelectedNodes().length;
        byTestId('selected-count').textContent = `${count.format(selected)} selected`;
      },
      onCellContextMenu: (event: CellContextMenuEvent<Row>) => {
        const mouse = event.event as MouseEvent | null;
        // As in the app: a right-click outside the selection selects that row only.
        if (event.node.isSelected() !== true) event.node.setSelected(true, true);
        menu.show(mouse?.clientX ?? 0, mouse?.clientY ?? 0);
      },
    },
    {
      // The table's own features; all rows in the client-side row model, as a plain grid does.
      modules: [
        ClientSideRowModelModule,
        ClientSideRowModelApiModule,
        ...GRID_FEATURE_MODULES,
        RowSelectionModule,
        QuickFilterModule,
      ],
    },
  );
  const menu = createMenu(
    api,
    () => api.getDisplayedRowCount(),
    () => selected,
  );
  byTestId('selected-count').textContent = '0 selected';
  const search = document.querySelector<HTMLInputElement>('input[type="search"]');
  search?.addEventListener('input', () => api.setGridOption('quickFilterText', search.value));

  const rows: Row[] = [];
  for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    if (first) Object.assign(window, { __benchUsersRequestedAt: performance.now() });
    const page: UsersPage = await getJson<UsersPage>(`/api/v1/users?limit=5000${query}`);
    total = page.total;
    rows.push(...page.users);
    if (first) api.setGridOption('rowData', page.users);
    cursor = page.nextCursor;
  }
  api.setGridOption('rowData', rows);
  byTestId('shown-count').textContent = shownText();
  document.querySelector('[role="progressbar"]')?.remove();
  Object.assign(window, { __plainFetchParseMs: fetchParseMs });
}

main().catch((error: unknown) => {
  document.body.dataset.error = String(error);
  throw error;
});
