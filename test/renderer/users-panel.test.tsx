import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiEvents } from '../../renderer/src/app/api-events.tsx';
import { UsersPanel } from '../../renderer/src/features/users/index.ts';
import { installFakeApi, makeUsers } from './fake-api.ts';
import { renderWithApp } from './render.tsx';

const renderPanel = () =>
  renderWithApp(
    <div style={{ height: 600, width: 1200 }}>
      <UsersPanel />
    </div>,
  );

describe('the users panel', () => {
  it('has main read the users in pages, and counts them', async () => {
    const api = installFakeApi();
    renderPanel();
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === 'readUsersPage')).toHaveLength(3);
    expect(screen.getByText('0 selected')).toBeInTheDocument();
  });

  it('offers every location with its count, and loads only that location', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    renderPanel();
    const picker = await screen.findByRole('combobox', { name: 'Location' });
    expect(await screen.findByRole('option', { name: 'Philadelphia HQ (4)' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'All locations (12)' })).toBeInTheDocument();
    await user.selectOptions(picker, 'loc-b');
    expect(await screen.findByText('4 shown of 4 users')).toBeInTheDocument();
    const read = api.calls.filter((c) => c.method === 'readUsersPage').at(-1);
    expect(read?.input).toEqual({ list: 'loc-b', cursor: undefined });
  });

  it('says what went wrong, keeps what loaded, and retries from where it stopped', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    api.failUsersAfterPages = 1;
    renderPanel();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Could not load all users: The provisioning backend cannot be reached.',
    );
    expect(alert).toHaveTextContent('Showing the 5 loaded so far.');
    expect(await screen.findByText('5 shown of 12 users')).toBeInTheDocument();

    api.failUsersAfterPages = null;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    const cursors = api.calls
      .filter((c) => c.method === 'readUsersPage')
      .map((c) => (c.input as { cursor?: string }).cursor);
    expect(cursors).toEqual([undefined, '5', '5', '10']);
  });

  it('loads again from the start when nothing came, by Retry', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    api.failUsersAfterPages = 0;
    renderPanel();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /^Could not load the users: The provisioning backend cannot be reached\.Retry$/u,
    );
    api.failUsersAfterPages = null;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('loads by itself once the backend answers again', async () => {
    const api = installFakeApi();
    api.failUsersAfterPages = 1;
    renderWithApp(
      <div style={{ height: 600, width: 1200 }}>
        <ApiEvents />
        <UsersPanel />
      </div>,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load all users');
    const down = { ...api.connection, state: 'unreachable' as const, message: 'No answer.' };
    act(() => api.emitConnectionChanged(down));
    // Still down: nothing is asked again.
    const asked = api.calls.filter((c) => c.method === 'readUsersPage').length;
    act(() => api.emitConnectionChanged({ ...down, checkedAt: new Date().toISOString() }));
    expect(api.calls.filter((c) => c.method === 'readUsersPage')).toHaveLength(asked);

    api.failUsersAfterPages = null;
    act(() => api.emitConnectionChanged({ ...down, state: 'connected', message: '' }));
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('selects the users of a job among those shown, and says why the others are not', async () => {
    const api = installFakeApi();
    api.holdUsersAfterPages = 1;
    const { commands } = renderPanel();
    expect(await screen.findByText('5 shown of 12 users')).toBeInTheDocument();
    act(() => commands.selectUsers(['11635-002', '4845880834-004']));
    expect(
      await screen.findByText(
        'Selected 1 user from the job; 1 user is not among the users loaded so far (the table is still loading).',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('1 selected')).toBeInTheDocument();
  });

  it('reads the users again by Reload or F5: new ones show, gone ones leave the selection', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    const { commands } = renderPanel();
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    expect(screen.getByText(/^Read at \d/u)).toBeInTheDocument();
    act(() => commands.selectUsers(['11635-001', '11635-002']));
    expect(await screen.findByText('2 selected')).toBeInTheDocument();

    // Meanwhile, on the backend: 11635-001 goes, two users come.
    const [gone, ...rest] = api.users;
    if (gone === undefined) throw new Error('no users');
    api.users = [...rest, ...makeUsers(14, 'loc-a').slice(12)];
    await user.click(screen.getByRole('button', { name: 'Reload' }));
    expect(await screen.findByText('13 shown of 13 users')).toBeInTheDocument();
    expect(await screen.findByText('1 selected')).toBeInTheDocument();
    const reads = api.calls.filter((c) => c.method === 'readUsersPage');
    expect(reads.at(-3)?.input).toEqual({ list: null, cursor: undefined });
    // The locations' counts are asked for again.
    expect(api.calls.filter((c) => c.method === 'listLocations').length).toBeGreaterThan(1);

    // F5 does the same, except under a dialog, which acts on the users as they are.
    api.users = api.users.slice(1);
    act(() => commands.open({ kind: 'rules' }));
    await user.keyboard('{F5}');
    expect(api.calls.filter((c) => c.method === 'reloadUsers')).toHaveLength(1);
    act(() => commands.close());
    await user.keyboard('{F5}');
    expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
    expect(screen.getByText('0 selected')).toBeInTheDocument();
  });
});
