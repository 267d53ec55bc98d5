import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppHeader } from '../../renderer/src/app/app-header.tsx';
import type { ConnectionStatus } from '../../shared/ipc/index.ts';
import { installFakeApi } from './fake-api.ts';
import { renderWithApp } from './render.tsx';

const REMOTE = { kind: 'remote' as const, url: 'https://pbx.example.com' };
// Today, so the header gives the time alone.
const since = new Date();
since.setHours(10, 42, 0, 0);
const at = since.toISOString();
const clock = since.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

const status = (over: Partial<ConnectionStatus>): ConnectionStatus => ({
  state: 'connected',
  since: at,
  checkedAt: at,
  latencyMs: 38,
  message: '',
  backend: REMOTE,
  apiVersion: '1.1',
  ...over,
});

function renderHeader(connection: ConnectionStatus, remote = true) {
  const api = installFakeApi();
  if (remote) api.appInfo = { ...api.appInfo, backend: REMOTE };
  api.connection = connection;
  const opened: string[] = [];
  const rendered = renderWithApp(
    <AppHeader onShowRules={() => undefined} onShowSettings={() => opened.push('settings')} />,
  );
  return { api, opened, user: userEvent.setup(), ...rendered };
}

const stateOf = () => screen.getByTestId('connection-state');

describe('the header’s connection state', () => {
  it('keeps the built-in backend short: its name and a green dot', async () => {
    renderHeader(status({ backend: { kind: 'built-in', url: 'http://127.0.0.1:1234' } }), false);
    expect(await screen.findByText('Built-in demo backend')).toBeVisible();
    await waitFor(() =>
      expect(document.querySelector('.app-header__dot')).toHaveClass('app-header__dot--ok'),
    );
    expect(screen.queryByTestId('connection-state')).toBeNull();
  });

  it('says a remote backend is connected, with the details on hover', async () => {
    const { user } = renderHeader(status({}));
    expect(await screen.findByText('Backend: pbx.example.com')).toBeVisible();
    await waitFor(() => expect(stateOf()).toHaveTextContent('Connected'));
    await user.hover(stateOf());
    const tip = await screen.findByRole('tooltip');
    expect(tip).toHaveTextContent('Connected to the backend.');
    expect(tip).toHaveTextContent(
      `https://pbx.example.com · checked at ${clock} · answered in 38 ms`,
    );
    // Not something to click.
    expect(screen.queryByRole('button', { name: /Backend: pbx\.example\.com/u })).toBeNull();
  });

  it('says since when it is unreachable, its message on keyboard focus, and opens Settings', async () => {
    const message =
      'Nothing answers at https://pbx.example.com: the connection was refused. Check that the backend is running.';
    const { user, opened } = renderHeader(
      status({ state: 'unreachable', message, latencyMs: null }),
    );
    const button = await screen.findByRole('button', {
      name: new RegExp(
        `^Backend: pbx\\.example\\.com, ?Unreachable since ${clock} ?— open Settings$`,
        'u',
      ),
    });
    expect(document.querySelector('.app-header__dot')).toHaveClass('app-header__dot--bad');
    await user.tab();
    expect(button).toHaveFocus();
    const tip = await screen.findByRole('tooltip');
    expect(tip).toHaveTextContent(`Backend unreachable since ${clock}.`);
    expect(tip).toHaveTextContent(message);
    expect(tip).toHaveTextContent('Click to open Settings.');
    expect(button).toHaveAccessibleDescription(
      new RegExp(`Backend unreachable since ${clock}`, 'u'),
    );
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('tooltip')).toBeNull();
    await user.click(button);
    expect(opened).toEqual(['settings']);
  });

  it('follows connection-changed events: slow, token refused, incompatible, connecting', async () => {
    const { api, user, opened } = renderHeader(status({}));
    await waitFor(() => expect(stateOf()).toHaveTextContent('Connected'));

    act(() =>
      api.emitConnectionChanged(status({ state: 'slow', message: 'The backend takes 2.4 s.' })),
    );
    await waitFor(() => expect(stateOf()).toHaveTextContent(`Slow since ${clock}`));
    expect(document.querySelector('.app-header__dot')).toHaveClass('app-header__dot--warn');
    // A live region: a screen reader hears the change.
    expect(screen.getByRole('status')).toHaveTextContent(
      `Backend: pbx.example.com, ·Slow since ${clock}`,
    );

    act(() =>
      api.emitConnectionChanged(
        status({ state: 'token-refused', message: 'The backend refused the API token (401).' }),
      ),
    );
    await user.click(await screen.findByRole('button', { name: /Token refused since/u }));
    expect(opened).toEqual(['settings']);

    act(() => api.emitConnectionChanged(status({ state: 'incompatible' })));
    await waitFor(() => expect(stateOf()).toHaveTextContent(`Incompatible since ${clock}`));

    act(() => api.emitConnectionChanged(status({ state: 'connecting' })));
    await waitFor(() => expect(stateOf()).toHaveTextContent('Connecting…'));
    expect(document.querySelector('.app-header__dot')).toHaveClass('app-header__dot--pending');
  });

  it('ignores a state that is still about the backend before a switch', async () => {
    renderHeader(
      status({ state: 'unreachable', backend: { kind: 'remote', url: 'https://old.example.com' } }),
    );
    expect(await screen.findByText('Backend: pbx.example.com')).toBeVisible();
    expect(stateOf()).toHaveTextContent('Connecting…');
  });
});
