import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ActiveDialog } from '../../../renderer/src/app/active-dialog.tsx';
import { useLastActions } from '../../../renderer/src/features/users/api/users.ts';
import { UsersPanel } from '../../../renderer/src/features/users/index.ts';
import { installFakeApi, makeUsers } from '../fake-api.ts';
import { renderWithApp } from '../render.tsx';

const renderPanel = () =>
  renderWithApp(
    <div style={{ height: 600, width: 1200 }}>
      <UsersPanel />
    </div>,
  );

/** The values of a column in the order the rows are shown. */
function column(colId: string): string[] {
  return [
    ...document.querySelectorAll<HTMLElement>(
      '.ag-center-cols-container .ag-row[row-index], .ag-grid-scrolling-container .ag-row[row-index]',
    ),
  ]
    .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
    .map((row) => row.querySelector(`.ag-cell[col-id="${colId}"]`)?.textContent ?? '');
}

const sortBy = (colId: string) => {
  const label = document.querySelector(`.ag-header-cell[col-id="${colId}"] .ag-header-cell-label`);
  if (label === null) throw new Error(`no header ${colId}`);
  fireEvent.click(label);
};

describe('the users table', () => {
  it('sorts ids, extensions and phone numbers by the numbers in them', async () => {
    const api = installFakeApi();
    const ids = ['11635-10', '11635-101', '11635-11', '11635-2', '11635-sanity-01', '11635-1'];
    api.users = makeUsers(ids.length).map((user, index) => ({
      ...user,
      id: ids[index] ?? '',
      extension: ['1000', '99', '101', '5', '20', '100'][index] ?? '',
      phoneNumber: index === 3 ? undefined : `+1 484 588 ${[10, 9, 100, 0, 11, 1][index] ?? 0}`,
    }));
    api.locations = [{ id: 'loc-a', name: 'Branch 11635', userCount: ids.length }];
    renderPanel();
    expect(await screen.findByText('6 shown of 6 users')).toBeInTheDocument();

    sortBy('id');
    await waitFor(() =>
      expect(column('id')).toEqual([
        '11635-1',
        '11635-2',
        '11635-10',
        '11635-11',
        '11635-101',
        '11635-sanity-01',
      ]),
    );
    sortBy('id');
    await waitFor(() => expect(column('id')[0]).toBe('11635-sanity-01'));

    sortBy('extension');
    await waitFor(() =>
      expect(column('extension')).toEqual(['5', '20', '99', '100', '101', '1000']),
    );
    sortBy('phoneNumber');
    // A user without a phone number comes first, as in the grid's own sort.
    await waitFor(() =>
      expect(column('phoneNumber')).toEqual([
        '',
        '+1 484 588 1',
        '+1 484 588 9',
        '+1 484 588 10',
        '+1 484 588 11',
        '+1 484 588 100',
      ]),
    );
  });

  it('shows its own empty state when the search matches nobody, and Clear search undoes it', async () => {
    const user = userEvent.setup();
    installFakeApi();
    renderPanel();
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    const search = screen.getByRole('searchbox');
    await user.type(search, 'zzz');
    const empty = await screen.findByRole('region', { name: 'No users match “zzz”' });
    expect(empty).toHaveTextContent(
      'Searched 12 users in all locations by ID, name, phone number, extension and email.',
    );
    expect(screen.getByText('0 shown of 12 users')).toBeInTheDocument();
    expect(screen.queryByText(/No Matching Rows|No Rows To Show/u)).toBeNull();

    await user.click(within(empty).getByRole('button', { name: 'Clear search' }));
    expect(search).toHaveValue('');
    expect(search).toHaveFocus();
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /No users match/u })).toBeNull();
  });

  it('takes a click on a row at once: the Menu key pressed right after it sees the new selection', async () => {
    installFakeApi();
    renderPanel();
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    const cellOf = (row: number) => {
      const cell = document.querySelector<HTMLElement>(
        `.ag-row[row-index="${row}"] .ag-cell[col-id="name"]`,
      );
      if (cell === null) throw new Error(`no row ${row}`);
      return cell;
    };
    // No await between them: AG Grid's own click event would come a timer later, after the key.
    fireEvent.click(cellOf(0));
    fireEvent.click(cellOf(2), { ctrlKey: true });
    fireEvent.keyDown(cellOf(2), { key: 'ContextMenu' });
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    expect(await screen.findByRole('menuitem', { name: 'Unselect 2 items' })).toBeInTheDocument();
  });

  it('draws a row whose users are still on their way blank: no checkbox, no "no email"', async () => {
    const api = installFakeApi();
    let release: () => void = () => undefined;
    api.holdUsersBlock = new Promise<void>((resolve) => (release = resolve));
    renderPanel();
    const row = (index: number) => document.querySelector(`.ag-row[row-index="${index}"]`);
    const box = (index: number) => row(index)?.querySelector<HTMLElement>('[role="checkbox"]');
    const email = (index: number) => row(index)?.querySelector('[col-id="email"]');
    await waitFor(() => expect(row(0)).not.toBeNull());
    expect(email(0)?.textContent).toBe('');
    expect(email(0)?.classList.contains('users-grid__muted')).toBe(false);
    expect(box(0)?.hidden).toBe(true);

    act(() => release());
    // makeUsers gives the 6th user no email.
    await waitFor(() => expect(email(5)?.textContent).toBe('no email'));
    expect(email(5)?.classList.contains('users-grid__muted')).toBe(true);
    expect(email(0)?.textContent).toBe('user1@example.com');
    expect(box(0)?.hidden).toBe(false);
    expect(box(0)).toHaveAccessibleName('Select Alicia Hudachek');
  });

  it('says only "Loading users…" until the first page tells how many there are', async () => {
    const api = installFakeApi();
    api.holdUsersAfterPages = 0;
    renderPanel();
    const bar = await screen.findByRole('progressbar', { name: 'Loading users' });
    expect(bar).toHaveTextContent(/^Loading users…$/u);
    expect(bar).not.toHaveAttribute('aria-valuenow');
    expect(bar).not.toHaveAttribute('aria-valuemax');
    // Not "of 0 users": how many there are is not known yet.
    expect(screen.getByTestId('shown-count')).toHaveTextContent(/^0 shown$/u);
  });

  it('says so within a location whose users the search all hides', async () => {
    const user = userEvent.setup();
    installFakeApi();
    renderPanel();
    expect(await screen.findByRole('option', { name: 'Philadelphia HQ (4)' })).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Location' }), 'loc-b');
    expect(await screen.findByText('4 shown of 4 users')).toBeInTheDocument();
    // A row has the grid's focus (and is selected).
    const firstCell = document.querySelector<HTMLElement>(
      '.ag-row[row-index="0"] .ag-cell[col-id="id"]',
    );
    if (firstCell === null) throw new Error('no first row');
    await user.click(firstCell);
    expect(screen.getByText('1 selected')).toBeInTheDocument();
    // Users in the other location match; none here does.
    await user.type(screen.getByRole('searchbox'), '11635');
    expect(await screen.findByRole('region', { name: 'No users match “11635”' })).toHaveTextContent(
      'Searched 4 users in this location',
    );
    // From the keyboard too; the selection the search hid is still there.
    screen.getByRole('button', { name: 'Clear search' }).focus();
    await user.keyboard(' ');
    expect(await screen.findByText('4 shown of 4 users')).toBeInTheDocument();
    expect(screen.getByText('1 selected')).toBeInTheDocument();
  });

  it('keeps the grid underneath, out of reach, while its empty state shows', async () => {
    const user = userEvent.setup();
    installFakeApi();
    renderPanel();
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    await user.type(screen.getByRole('searchbox'), 'nobody-here');
    await screen.findByRole('region', { name: /No users match/u });
    expect(screen.getByTestId('users-grid').closest('[inert]')).not.toBeNull();
    await user.clear(screen.getByRole('searchbox'));
    await user.type(screen.getByRole('searchbox'), 'hudachek');
    expect(await screen.findByText('3 shown of 12 users')).toBeInTheDocument();
    expect(screen.getByTestId('users-grid').closest('[inert]')).toBeNull();
  });
});

describe('the table keeps up with what changes', () => {
  it('shows an edited email at once, from the answer, without loading the users again', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    const { commands } = renderWithApp(
      <>
        <div style={{ height: 600, width: 1200 }}>
          <UsersPanel />
        </div>
        <ActiveDialog />
      </>,
    );
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    const reads = api.calls.filter((c) => c.method === 'readUsersPage').length;
    const target = api.users[0];
    if (target === undefined) throw new Error('no user');
    act(() => commands.open({ kind: 'edit-user', userId: target.id }));
    const field = await screen.findByLabelText('Email');
    await user.clear(field);
    await user.type(field, 'fresh@example.org');
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(column('email')).toContain('fresh@example.org'));
    expect(api.calls.filter((c) => c.method === 'readUsersPage')).toHaveLength(reads);
  });

  it('merges what changed since the last answer into each user’s last action', async () => {
    const api = installFakeApi();
    const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s)).toISOString();
    const [a = '', b = ''] = api.users.map((u) => u.id);
    api.lastActionEntries = [
      { userId: a, kind: 'password-reset', outcome: 'changed', at: at(1) },
      { userId: b, kind: 'password-reset', outcome: 'rejected', at: at(2) },
    ];
    function Probe() {
      const actions = useLastActions();
      return (
        <output>
          {[a, b].map((id) => {
            const last = actions.get(id);
            return last === undefined ? '-' : `${last.kind}:${last.outcome};`;
          })}
        </output>
      );
    }
    const { queryClient } = renderWithApp(<Probe />);
    expect(
      await screen.findByText('password-reset:changed;password-reset:rejected;'),
    ).toBeVisible();
    // Later, one user is emailed a link; the next answer carries only what changed since.
    api.lastActionEntries.push({
      userId: b,
      kind: 'recovery-email',
      outcome: 'changed',
      at: new Date(Date.now() + 60_000).toISOString(),
    });
    await act(() => queryClient.invalidateQueries({ queryKey: ['users', 'last-actions'] }));
    expect(await screen.findByText('password-reset:changed;recovery-email:changed;')).toBeVisible();
    const calls = api.calls.filter((c) => c.method === 'lastActions');
    expect(calls.map((c) => (c.input as { since: string | null }).since === null)).toEqual([
      true,
      false,
    ]);
  });
});

describe('the users table read again', () => {
  it('keeps its rows while Reload reads them again, says how far it got, and retries a read that stopped', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    renderPanel();
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    await waitFor(() => expect(column('id')[0]).toBe('11635-001'));
    const before = column('id');

    // Two users come on the backend; the read again stops at its second page.
    api.users = [...api.users, ...makeUsers(14, 'loc-a').slice(12)];
    api.failUsersAfterPages = api.pagesRead + 1;
    await user.click(screen.getByRole('button', { name: 'Reload' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      /^Could not read the users again: The provisioning backend cannot be reached\. Showing them as read at \d/u,
    );
    const progress = screen.getByRole('progressbar', { name: 'Reading the users again' });
    expect(progress).toHaveTextContent('Reading again stopped at 5 of 14');
    // The rows read before stay, all of them; nothing reads them again meanwhile.
    expect(screen.getByText('12 shown of 12 users')).toBeInTheDocument();
    expect(column('id')).toEqual(before);
    expect(screen.queryByRole('button', { name: 'Reload' })).toBeNull();
    const reloads = api.calls.filter((c) => c.method === 'reloadUsers').length;
    await user.click(screen.getAllByRole('gridcell')[0] ?? document.body);
    await user.keyboard('{F5}');
    expect(api.calls.filter((c) => c.method === 'reloadUsers')).toHaveLength(reloads);

    api.failUsersAfterPages = null;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('14 shown of 14 users')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('button', { name: 'Reload' })).toBeInTheDocument();
    const cursors = api.calls
      .filter((c) => c.method === 'readUsersPage')
      .map((c) => (c.input as { cursor?: string }).cursor);
    expect(cursors.slice(-4)).toEqual([undefined, '5', '5', '10']);
  });
});
