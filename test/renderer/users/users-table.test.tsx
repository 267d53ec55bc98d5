import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
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
