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
import type { JobSummary } from '../../../shared/ipc/index.ts';
import { installFakeApi, makeUsers, type FakeApi } from '../fake-api.ts';
import { jobSummary } from '../job-fixtures.ts';

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
function gridOf(actions: GridActions, options: { idSort?: 'desc' } = {}) {
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
      rowModelType: 'infinite',
      datasource: actions.datasource,
      getRowId: (p) => p.data.id,
      rowClassRules: actions.selectedRowClass(),
      onModelUpdated: actions.rowsChanged,
    },
    { modules: USERS_GRID_MODULES },
  );
  actions.attach(api, host);
  grid = api;
  return { api, host };
}

/** The grid over main's real users table (in the fake API), once it has read every user. */
async function table(options: { idSort?: 'desc' } = {}): Promise<{
  actions: GridActions;
  api: GridApi<User>;
  host: HTMLElement;
  fake: FakeApi;
}> {
  const fake = installFakeApi();
  fake.users = USERS;
  fake.onUsersChanged((load) => actions.loadChanged(load));
  const actions = createGridActions(null);
  await fake.loadUsers({ list: null, retry: false });
  await vi.waitFor(async () => {
    const answer = await fake.loadUsers({ list: null, retry: false });
    expect(answer.data.state).toBe('done');
  });
  const { api, host } = gridOf(actions, options);
  await shows(actions, USERS.length);
  return { actions, api, host, fake };
}

/** Waits until the grid shows this many rows, each with its user. */
async function shows(actions: GridActions, rows: number): Promise<void> {
  await vi.waitFor(() => {
    expect(actions.counts().shown).toBe(rows);
    for (let index = 0; index < rows; index += 1)
      expect(grid?.getDisplayedRowAtIndex(index)?.data).toBeDefined();
  });
}

const nodeAt = (api: GridApi<User>, index: number) => {
  const node = api.getDisplayedRowAtIndex(index);
  if (node?.data === undefined) throw new Error(`no row ${index}`);
  return node;
};
const selected = (actions: GridActions) => [...actions.selection.ids()].sort();
const PLAIN = { toggle: false, range: false, checkbox: false };

/**
 * Main reads the first page of `users` (150 a page), then the backend stops answering: a list
 * still loading, with the grid's actions following it.
 */
async function firstPageRead(users: number) {
  const fake = installFakeApi();
  fake.users = makeUsers(users);
  fake.pageSize = 150;
  fake.failUsersAfterPages = 1;
  const actions = createGridActions(null);
  fake.onUsersChanged((load) => actions.loadChanged(load));
  await fake.loadUsers({ list: null, retry: false });
  return { fake, actions };
}

describe('the users table actions on a real grid', () => {
  it('counts the users shown and selected, and follows the search (main searches)', async () => {
    const { actions, api } = await table();
    expect(actions.counts()).toEqual({ shown: 6, selected: 0, selectedShown: 0 });
    actions.search('smith');
    await shows(actions, 3);
    expect([0, 1, 2].map((index) => nodeAt(api, index).data?.id)).toEqual(['u1', 'u3', 'u5']);
    actions.search('SMITH  u5');
    await shows(actions, 1);
    actions.search('');
    await shows(actions, 6);
  });

  it('Select All takes only the users shown; they stay selected when the search clears', async () => {
    const { actions } = await table();
    actions.search('jones');
    await shows(actions, 2);
    await actions.selectAll();
    expect(selected(actions)).toEqual(['u2', 'u6']);
    await vi.waitFor(() =>
      expect(actions.counts()).toEqual({ shown: 2, selected: 2, selectedShown: 2 }),
    );
    actions.search('');
    await shows(actions, 6);
    expect(actions.counts()).toEqual({ shown: 6, selected: 2, selectedShown: 2 });
  });

  it('Inverse flips the users shown and leaves hidden ones as they were', async () => {
    const { actions, api } = await table();
    await actions.click(nodeAt(api, 1), PLAIN); // u2, a Jones
    actions.search('smith');
    await shows(actions, 3);
    await actions.click(nodeAt(api, 0), { ...PLAIN, toggle: true }); // u1
    await actions.inverse();
    expect(selected(actions)).toEqual(['u2', 'u3', 'u5']);
    await actions.unselect();
    expect(actions.counts().selected).toBe(0);
  });

  it('the header checkbox selects the users shown, then clears only them', async () => {
    const { actions } = await table();
    actions.selection.add(['u2']);
    actions.search('smith');
    await shows(actions, 3);
    await vi.waitFor(() => expect(actions.counts().selectedShown).toBe(0));
    await actions.toggleAllShown();
    await vi.waitFor(() => expect(actions.counts().selectedShown).toBe(3));
    expect(selected(actions)).toEqual(['u1', 'u2', 'u3', 'u5']);
    await actions.toggleAllShown();
    expect(selected(actions)).toEqual(['u2']);
  });

  it('clicks: plain selects one, Ctrl/Cmd or the checkbox flips one, Shift takes a range', async () => {
    const { actions, api } = await table();
    await actions.click(nodeAt(api, 1), PLAIN);
    await actions.click(nodeAt(api, 3), { ...PLAIN, range: true });
    expect(selected(actions)).toEqual(['u2', 'u3', 'u4']);
    await actions.click(nodeAt(api, 5), { ...PLAIN, checkbox: true });
    expect(selected(actions)).toEqual(['u2', 'u3', 'u4', 'u6']);
    // The anchor is now u6: Shift on a checkbox adds u5..u6; a plain Shift-click replaces.
    await actions.click(nodeAt(api, 4), { ...PLAIN, checkbox: true, range: true });
    expect(selected(actions)).toEqual(['u2', 'u3', 'u4', 'u5', 'u6']);
    await actions.click(nodeAt(api, 4), { ...PLAIN, range: true });
    expect(selected(actions)).toEqual(['u5', 'u6']);
    await actions.click(nodeAt(api, 0), PLAIN);
    expect(selected(actions)).toEqual(['u1']);
  });

  it('runs selection changes in the order asked, though a range waits for main', async () => {
    const { actions, api } = await table();
    await actions.click(nodeAt(api, 0), PLAIN);
    // The range asks main for the ids shown; the plain click after it must not overtake it.
    const range = actions.click(nodeAt(api, 3), { ...PLAIN, range: true });
    const plain = actions.click(nodeAt(api, 5), PLAIN);
    await Promise.all([range, plain]);
    expect(selected(actions)).toEqual(['u6']);
  });

  it('reads the ids shown ahead once the view stays the same, so Select All need not ask', async () => {
    const { actions, fake } = await table();
    const asked = () => fake.calls.filter((c) => c.method === 'viewIds').length;
    await vi.waitFor(() => expect(asked()).toBe(1));
    await actions.selectAll();
    expect(asked()).toBe(1);
    expect(actions.counts().selected).toBe(6);
    // Another view: its own ids, read ahead too.
    actions.search('smith');
    await vi.waitFor(() => expect(asked()).toBe(2));
    await actions.inverse();
    expect(asked()).toBe(2);
  });

  it('ranges follow the order shown, after a sort', async () => {
    const { actions, api } = await table({ idSort: 'desc' });
    await actions.click(nodeAt(api, 0), PLAIN); // u6
    await actions.click(nodeAt(api, 2), { ...PLAIN, range: true });
    expect(selected(actions)).toEqual(['u4', 'u5', 'u6']);
    expect(await actions.selectedInTableOrder()).toEqual(['u6', 'u5', 'u4']);
  });

  it('Space flips the focused row, Shift+Space adds a range, Ctrl/Cmd+A selects all shown', async () => {
    const { actions, api } = await table();
    const press = (index: number | null, key: string, extra: KeyboardEventInit = {}) => {
      if (index === null) api.clearFocusedCell();
      else api.setFocusedCell(index, 'id');
      return actions.key(new KeyboardEvent('keydown', { key, ...extra }));
    };
    expect(press(0, ' ')).toBe(true);
    expect(press(2, ' ', { shiftKey: true })).toBe(true);
    // The range asks main for the ids shown.
    await vi.waitFor(() => expect(selected(actions)).toEqual(['u1', 'u2', 'u3']));
    expect(press(1, ' ')).toBe(true);
    await vi.waitFor(() => expect(selected(actions)).toEqual(['u1', 'u3']));
    expect(press(1, 'x')).toBe(false);
    expect(press(null, ' ')).toBe(false);
    actions.search('jones');
    await shows(actions, 2);
    expect(press(null, 'a', { ctrlKey: true })).toBe(true);
    await vi.waitFor(() => expect(selected(actions)).toEqual(['u1', 'u2', 'u3', 'u6']));
  });

  it('lists the selection in table order, then the users the search hides', async () => {
    const { actions } = await table();
    actions.selection.add(['u5', 'u2', 'u1']);
    actions.search('smith');
    await shows(actions, 3);
    expect(await actions.selectedInTableOrder()).toEqual(['u1', 'u5', 'u2']);
  });

  it('selects the users of a job among those shown and says how many are missing', async () => {
    const { actions } = await table();
    actions.selection.add(['u4']);
    actions.search('smith');
    await shows(actions, 3);
    expect(await actions.selectOnly(['u3', 'u2', 'u5', 'u9'])).toEqual({ selected: 2, missing: 2 });
    expect(selected(actions)).toEqual(['u3', 'u5']);
  });

  it('a right-click on a row outside the selection selects that row alone', async () => {
    const { actions } = await table();
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
    const { actions, api, host } = await table();
    await actions.click(nodeAt(api, 1), PLAIN);
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

  it('while a list loads in its own order, the rows held are not asked for again', async () => {
    // The grid starts on 150 users.
    const { fake, actions } = await firstPageRead(600);
    const { api } = gridOf(actions);
    await vi.waitFor(() => expect(actions.counts().shown).toBe(150));
    const firstId = fake.users[0]?.id;
    await vi.waitFor(() => expect(api.getDisplayedRowAtIndex(0)?.data?.id).toBe(firstId));
    const topAsked = () =>
      fake.calls.filter(
        (call) => call.method === 'usersBlock' && (call.input as { start: number }).start === 0,
      ).length;
    const asked = topAsked();

    // Two more pages come, after the users held, which stay as they were; the last page waits.
    fake.failUsersAfterPages = null;
    fake.holdUsersAfterPages = fake.pagesRead + 2;
    await fake.loadUsers({ list: null, retry: true });
    await vi.waitFor(() => expect(actions.counts().shown).toBe(450));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(topAsked()).toBe(asked);
    expect(api.getDisplayedRowAtIndex(0)?.data?.id).toBe(firstId);
    expect(api.getDisplayedRowCount()).toBe(450);

    // A job changes the first user: the rows held are out of date, and are asked for again.
    const user = fake.users[0];
    if (user === undefined || firstId === undefined) throw new Error('no users');
    fake.jobResultsById.set('job-i', [{ userId: firstId, outcome: 'changed', reason: null }]);
    fake.emitJobUpdate(interceptJob('job-i', !user.intercepted));
    await vi.waitFor(() => expect(topAsked()).toBe(asked + 1));
    await vi.waitFor(() =>
      expect(api.getDisplayedRowAtIndex(0)?.data?.intercepted).toBe(!user.intercepted),
    );
  });

  it('asks again for rows whose answer left main before the list changed', async () => {
    const fake = installFakeApi();
    fake.users = makeUsers(30);
    let release = (): void => undefined;
    fake.holdUsersBlock = new Promise((resolve) => (release = resolve));
    const actions = createGridActions(null);
    fake.onUsersChanged((load) => actions.loadChanged(load));
    // The grid asks for its first rows before main has read any: that answer is empty.
    const { api } = gridOf(actions);
    await vi.waitFor(() => expect(fake.calls.some((c) => c.method === 'usersBlock')).toBe(true));
    await fake.loadUsers({ list: null, retry: false });
    await vi.waitFor(async () =>
      expect((await fake.loadUsers({ list: null, retry: false })).data.state).toBe('done'),
    );
    // The list is read whole, and only then does the empty answer come.
    fake.holdUsersBlock = null;
    release();
    await vi.waitFor(() => expect(actions.counts().shown).toBe(30));
    await vi.waitFor(() => expect(api.getDisplayedRowAtIndex(0)?.data?.id).toBe(fake.users[0]?.id));
  });

  it('while a list loads, a search asks for its rows again with each page', async () => {
    const { fake, actions } = await firstPageRead(450);
    gridOf(actions);
    // Five users in six have an email: 125 of the first 150 (more than a block), 375 of all.
    actions.search('example.com');
    await vi.waitFor(() => expect(actions.counts().shown).toBe(125));
    fake.failUsersAfterPages = null;
    await fake.loadUsers({ list: null, retry: true });
    await vi.waitFor(() => expect(actions.counts().shown).toBe(375));
    await vi.waitFor(() => expect(grid?.getDisplayedRowCount()).toBe(375));
  });
});

/** An intercept job that has just completed (its results are the fake's `jobResultsById`). */
function interceptJob(id: string, intercepted: boolean): JobSummary {
  return jobSummary({ id, params: { kind: 'intercept', intercepted } });
}
