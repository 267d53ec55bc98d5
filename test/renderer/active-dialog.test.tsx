import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ActiveDialog } from '../../renderer/src/app/active-dialog.tsx';
import { installFakeApi, type FakeApi } from './fake-api.ts';
import { renderWithApp } from './render.tsx';

/** The fake API with main's table read, so the dialogs find their users there. */
async function apiWithUsers() {
  const api = installFakeApi();
  await api.loadUsers({ list: null, retry: false });
  await waitFor(async () => {
    const answer = await api.loadUsers({ list: null, retry: false });
    expect(answer.data.state).toBe('done');
  });
  return api;
}

/** The dialog host over that API, and the ids of every user it has. */
async function renderDialogs() {
  const api = await apiWithUsers();
  const { commands } = renderWithApp(<ActiveDialog />);
  return { api, commands, userIds: api.users.map((u) => u.id) };
}

/** What the window asked main with one method, in order. */
const inputsOf = (api: FakeApi, method: string) =>
  api.calls.filter((c) => c.method === method).map((c) => c.input);

describe('a dialog for the selection', () => {
  it('opens with the users main has, and says nothing while they come quickly', async () => {
    const { commands, userIds } = await renderDialogs();
    act(() => commands.open({ kind: 'recovery-email', userIds }));
    expect(
      await screen.findByRole('heading', { name: 'Users with email (11)' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Reading the/u)).toBeNull();
  });

  it('looks up only the users the reset dialog names, and counts the rest', async () => {
    const { api, commands, userIds } = await renderDialogs();
    act(() => commands.open({ kind: 'password-reset', userIds }));
    expect(
      await screen.findByRole('heading', { name: 'Current selection (12)' }),
    ).toBeInTheDocument();
    expect(inputsOf(api, 'usersByIds')).toEqual([{ userIds: userIds.slice(0, 5) }]);
    // Each of the five named as main has them, then the count of the others.
    const items = within(screen.getByRole('region', { name: 'Current selection (12)' }))
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(items).toEqual([
      ...api.users.slice(0, 5).map((u) => `${u.id}${u.firstName} ${u.lastName}`),
      'and 7 more',
    ]);
  });

  it('reads what Forgot Password(s), Intercept and Licenses show from main, never each user', async () => {
    const { api, commands, userIds } = await renderDialogs();
    act(() => commands.open({ kind: 'recovery-email', userIds }));
    expect(
      await screen.findByRole('heading', { name: 'Users without email (1)' }),
    ).toBeInTheDocument();
    act(() => commands.open({ kind: 'intercept', userIds }));
    expect(await screen.findByTestId('intercept-already')).toHaveTextContent(
      '1 of them already has intercept on',
    );
    act(() => commands.open({ kind: 'license', userIds }));
    expect(await screen.findByRole('row', { name: /UC One .* 12 /u })).toBeInTheDocument();
    expect(inputsOf(api, 'usersByIds')).toEqual([]);
    expect(inputsOf(api, 'selectionSummary')).toEqual([{ userIds }, { userIds }, { userIds }]);
  });

  it('opens Forgot Password(s) with every user as not loaded when main cannot say', async () => {
    const { api, commands, userIds } = await renderDialogs();
    api.failSelectionSummary = 'main is busy';
    act(() => commands.open({ kind: 'recovery-email', userIds }));
    expect(
      await screen.findByText(
        '12 users are not loaded in the table: the backend sends a link if they have an email.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
  });

  it('says it is reading a selection that takes a while, and can be closed meanwhile', async () => {
    const user = userEvent.setup();
    const { api, commands, userIds } = await renderDialogs();
    let release = (): void => undefined;
    api.holdUsersByIds = new Promise((resolve) => (release = resolve));
    act(() => commands.open({ kind: 'recovery-email', userIds }));
    expect(await screen.findByRole('status')).toHaveTextContent('Reading the 12 selected users…');
    release();
    expect(
      await screen.findByRole('heading', { name: 'Users with email (11)' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Reading the/u)).toBeNull();

    // Another, held again: closing the wait closes the command.
    api.holdUsersByIds = new Promise(() => undefined);
    act(() => commands.open({ kind: 'intercept', userIds }));
    expect(await screen.findByRole('status')).toHaveTextContent('Reading the 12 selected users…');
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(commands.getState().dialog).toBeNull());
  });
});
