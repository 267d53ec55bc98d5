import { createGrid, type GridApi } from 'ag-grid-community';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { USERS_GRID_MODULES } from '../../../renderer/src/features/users/components/grid-modules.ts';
import { SelectCell } from '../../../renderer/src/features/users/components/select-column.tsx';
import {
  createGridActions,
  SELECT_COLUMN,
  type GridActions,
} from '../../../renderer/src/features/users/model/grid-actions.ts';
import type { User } from '../../../shared/api/index.ts';

const names = ['Ann Smith', 'Bo Jones', 'Cy Smith', 'Di Brown', 'Ed Smith', 'Flo Jones'];
const USERS: User[] = names.map((name, index) => {
  const [firstName = '', lastName = ''] = name.split(' ');
  return {
    id: `u${index + 1}`,
    firstName,
    lastName,
    extension: String(100 + index),
    email: null,
    locationId: 'loc-a',
    intercepted: false,
    licenses: [],
  };
});

let grid: GridApi<User> | null = null;
afterEach(() => grid?.destroy());

/** The real AG Grid with the table's modules and hooks, in jsdom, driven through the actions. */
function table(options: { idSort?: 'desc'; searchBeforeReady?: string } = {}): {
  actions: GridActions;
  api: GridApi<User>;
  host: HTMLElement;
} {
  const actions = createGridActions();
  const host = document.createElement('div');
  document.body.append(host);
  const api = createGrid<User>(
    host,
    {
      theme: 'legacy',
      columnDefs: [
        {
          colId: SELECT_COLUMN,
          cellRenderer: SelectCell,
          cellRendererParams: { selection: actions.selection },
        },
        { field: 'id', sort: options.idSort ?? null },
        { field: 'lastName' },
      ],
      rowData: USERS,
      getRowId: (p) => p.data.id,
      rowClassRules: actions.selectedRowClass(),
      isExternalFilterPresent: actions.isExternalFilterPresent,
      doesExternalFilterPass: actions.doesExternalFilterPass,
      onModelUpdated: actions.rowsChanged,
    },
    { modules: USERS_GRID_MODULES },
  );
  // As in the app: the search effect can run after the grid exists but before it is ready.
  if (options.searchBeforeReady !== undefined) actions.search(options.searchBeforeReady);
  actions.attach(api, host);
  grid = api;
  return { actions, api, host };
}

const nodeAt = (api: GridApi<User>, index: number) => {
  const node = api.getDisplayedRowAtIndex(index);
  if (node === undefined) throw new Error(`no row ${index}`);
  return node;
};
const selected = (actions: GridActions) => [...actions.selection.ids()].sort();
const PLAIN = { toggle: false, range: false, checkbox: false };

describe('the users table actions on a real grid', () => {
  it('counts the users shown and selected, and follows the search', () => {
    const { actions } = table();
    expect(actions.counts()).toEqual({ shown: 6, selected: 0, selectedShown: 0 });
    actions.search('smith');
    expect(actions.counts().shown).toBe(3);
    actions.search('SMITH  u5');
    expect(actions.counts().shown).toBe(1);
    actions.search('');
    expect(actions.counts().shown).toBe(6);
  });

  it('runs the search filter as rows arrive, while the search is empty too', () => {
    const { actions, api } = table();
    const pass = vi.spyOn(actions, 'doesExternalFilterPass');
    api.setGridOption('doesExternalFilterPass', actions.doesExternalFilterPass);
    const more = { ...USERS[0], id: 'u7', firstName: 'Gil' } as User;
    api.applyTransaction({ add: [more] });
    // Every row went through the same check a keystroke makes (see isExternalFilterPresent).
    expect(pass.mock.calls.length).toBeGreaterThanOrEqual(USERS.length + 1);
    expect(api.getDisplayedRowCount()).toBe(USERS.length + 1);
  });

  it('Select All takes only the users shown; they stay selected when the search clears', () => {
    const { actions } = table();
    actions.search('jones');
    actions.selectAll();
    expect(selected(actions)).toEqual(['u2', 'u6']);
    expect(actions.counts()).toEqual({ shown: 2, selected: 2, selectedShown: 2 });
    actions.search('');
    expect(actions.counts()).toEqual({ shown: 6, selected: 2, selectedShown: 2 });
  });

  it('Inverse flips the users shown and leaves hidden ones as they were', () => {
    const { actions, api } = table();
    actions.click(nodeAt(api, 1), PLAIN); // u2, a Jones
    actions.search('smith');
    actions.click(nodeAt(api, 0), { ...PLAIN, toggle: true }); // u1
    actions.inverse();
    expect(selected(actions)).toEqual(['u2', 'u3', 'u5']);
    actions.unselect();
    expect(actions.counts().selected).toBe(0);
  });

  it('the header checkbox selects the users shown, then clears only them', () => {
    const { actions } = table();
    actions.selection.add(['u2']);
    actions.search('smith');
    actions.toggleAllShown();
    expect(selected(actions)).toEqual(['u1', 'u2', 'u3', 'u5']);
    actions.toggleAllShown();
    expect(selected(actions)).toEqual(['u2']);
  });

  it('clicks: plain selects one, Ctrl/Cmd or the checkbox flips one, Shift takes a range', () => {
    const { actions, api } = table();
    actions.click(nodeAt(api, 1), PLAIN);
    actions.click(nodeAt(api, 3), { ...PLAIN, range: true });
    expect(selected(actions)).toEqual(['u2', 'u3', 'u4']);
    actions.click(nodeAt(api, 5), { ...PLAIN, checkbox: true });
    expect(selected(actions)).toEqual(['u2', 'u3', 'u4', 'u6']);
    // The anchor is now u6: Shift on a checkbox adds u5..u6; a plain Shift-click replaces.
    actions.click(nodeAt(api, 4), { ...PLAIN, checkbox: true, range: true });
    expect(selected(actions)).toEqual(['u2', 'u3', 'u4', 'u5', 'u6']);
    actions.click(nodeAt(api, 4), { ...PLAIN, range: true });
    expect(selected(actions)).toEqual(['u5', 'u6']);
    actions.click(nodeAt(api, 0), PLAIN);
    expect(selected(actions)).toEqual(['u1']);
  });

  it('ranges follow the order shown, after a sort', () => {
    const { actions, api } = table({ idSort: 'desc' });
    actions.click(nodeAt(api, 0), PLAIN); // u6
    actions.click(nodeAt(api, 2), { ...PLAIN, range: true });
    expect(selected(actions)).toEqual(['u4', 'u5', 'u6']);
    expect(actions.selectedInTableOrder()).toEqual(['u6', 'u5', 'u4']);
  });

  it('Space flips the focused row, Shift+Space adds a range, Ctrl/Cmd+A selects all shown', () => {
    const { actions, api } = table();
    const press = (index: number | null, key: string, extra: KeyboardEventInit = {}) => {
      if (index === null) api.clearFocusedCell();
      else api.setFocusedCell(index, 'id');
      return actions.key(new KeyboardEvent('keydown', { key, ...extra }));
    };
    expect(press(0, ' ')).toBe(true);
    expect(press(2, ' ', { shiftKey: true })).toBe(true);
    expect(selected(actions)).toEqual(['u1', 'u2', 'u3']);
    expect(press(1, ' ')).toBe(true);
    expect(selected(actions)).toEqual(['u1', 'u3']);
    expect(press(1, 'x')).toBe(false);
    expect(press(null, ' ')).toBe(false);
    actions.search('jones');
    expect(press(null, 'a', { ctrlKey: true })).toBe(true);
    expect(selected(actions)).toEqual(['u1', 'u2', 'u3', 'u6']);
  });

  it('applies a search typed before the grid was ready', () => {
    const { actions } = table({ searchBeforeReady: 'smith' });
    expect(actions.counts().shown).toBe(3);
  });

  it('lists the selection in table order, then the users the search hides', () => {
    const { actions } = table();
    actions.selection.add(['u5', 'u2', 'u1']);
    actions.search('smith');
    expect(actions.selectedInTableOrder()).toEqual(['u1', 'u5', 'u2']);
  });

  it('selects the users of a job among those shown and says how many are missing', () => {
    const { actions } = table();
    actions.selection.add(['u4']);
    actions.search('smith');
    expect(actions.selectOnly(['u3', 'u2', 'u5', 'u9'])).toEqual({ selected: 2, missing: 2 });
    expect(selected(actions)).toEqual(['u3', 'u5']);
  });

  it('a right-click on a row outside the selection selects that row alone', () => {
    const { actions } = table();
    actions.selectForMenu('u3');
    expect(selected(actions)).toEqual(['u3']);
    actions.selection.add(['u5']);
    // On a selected row the selection stays; on another, that row alone.
    actions.selectForMenu('u5');
    expect(selected(actions)).toEqual(['u3', 'u5']);
    actions.selectForMenu('u1');
    expect(selected(actions)).toEqual(['u1']);
    // An id the grid has no row for changes nothing.
    actions.selectForMenu('nobody');
    expect(selected(actions)).toEqual(['u1']);
  });

  it('marks selected rows for the theme and for assistive technology', async () => {
    const { actions, api, host } = table();
    actions.click(nodeAt(api, 1), PLAIN);
    const rule = actions.selectedRowClass()['ag-row-selected'];
    if (typeof rule !== 'function') throw new Error('no rule');
    const classOf = (index: number) =>
      rule({ data: nodeAt(api, index).data, node: nodeAt(api, index) } as never);
    expect([classOf(0), classOf(1)]).toEqual([false, true]);

    const created = document.createElement('div');
    actions.rowCreated({ eRow: created, node: nodeAt(api, 1) });
    expect(created.getAttribute('aria-selected')).toBe('true');
    expect(host.querySelector('[role="grid"]')?.getAttribute('aria-multiselectable')).toBe('true');
    const rendered = [...host.querySelectorAll('.ag-row[row-id]')].map((row) => [
      row.getAttribute('row-id'),
      row.getAttribute('aria-selected'),
    ]);
    expect(rendered).toContainEqual(['u2', 'true']);
    expect(rendered).toContainEqual(['u1', 'false']);

    // The rows drawn follow each change: their selected look and their checkbox.
    const drawn = (id: string) => {
      const row = host.querySelector<HTMLElement>(`.ag-row[row-id="${id}"]`);
      const box = row?.querySelector(`[col-id="${SELECT_COLUMN}"] [role="checkbox"]`);
      return [row?.classList.contains('ag-row-selected'), box?.getAttribute('aria-checked')];
    };
    // The grid draws its cell renderers a frame later.
    await vi.waitFor(() =>
      expect([drawn('u1'), drawn('u2')]).toEqual([
        [false, 'false'],
        [true, 'true'],
      ]),
    );
    actions.selectForMenu('u1');
    expect([drawn('u1'), drawn('u2')]).toEqual([
      [true, 'true'],
      [false, 'false'],
    ]);
  });
});
