import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SettingsDialog } from '../../renderer/src/features/settings/index.ts';
import { fail, type ConnectionTestReport, type Settings } from '../../shared/ipc/index.ts';
import { defaultSettings, installFakeApi, passedReport, type FakeApi } from './fake-api.ts';
import { renderWithApp } from './render.tsx';

const REMOTE: Settings = {
  ...defaultSettings(),
  backend: 'remote',
  remote: { url: 'https://pbx.example.com', timeoutSeconds: 30, maxConcurrentRequests: 4 },
  token: { set: true, kept: 'encrypted' },
};

/** The dialog over a fake API with these settings; `closed` counts onClose calls. */
async function openSettings(settings: Settings = defaultSettings()) {
  const api = installFakeApi();
  api.settings = structuredClone(settings);
  const closed = { count: 0 };
  const rendered = renderWithApp(<SettingsDialog onClose={() => (closed.count += 1)} />);
  await screen.findByLabelText('Your name');
  return { api, closed, ...rendered, user: userEvent.setup() };
}

const updates = (api: FakeApi) =>
  api.calls.filter((call) => call.method === 'updateSettings').map((call) => call.input);
const tests = (api: FakeApi) =>
  api.calls.filter((call) => call.method === 'testConnection').map((call) => call.input);

const REFUSED_MESSAGE =
  'Nothing answers at http://127.0.0.1:59999: the connection was refused. Check that the backend is running and that the port is right, or ask its administrator; PassDesk tried for 30 seconds and will not try again until you test once more.';

const refusedReport = (): ConnectionTestReport => ({
  ok: false,
  problem: 'refused',
  message: REFUSED_MESSAGE,
  checks: [
    { id: 'address', label: 'Address', status: 'passed', detail: 'http://127.0.0.1:59999' },
    {
      id: 'reach',
      label: 'Reaching the backend',
      status: 'failed',
      detail: 'The request failed without an answer (ECONNREFUSED).',
    },
    { id: 'api', label: 'API version', status: 'skipped', detail: 'Not checked.' },
    { id: 'token', label: 'API token', status: 'skipped', detail: 'Not checked.' },
    { id: 'rules', label: 'Rules', status: 'skipped', detail: 'Not checked.' },
  ],
  backendVersion: null,
  apiVersion: null,
  latencyMs: null,
});

describe('the Settings dialog', () => {
  it('starts on the built-in backend, explained in a line, with no remote fields', async () => {
    await openSettings();
    const builtIn = screen.getByRole('radio', { name: 'Built-in' });
    expect(builtIn).toBeChecked();
    expect(builtIn).toHaveAccessibleDescription(/demo backend on this computer.*Outbox/u);
    expect(screen.getByRole('radio', { name: 'Remote' })).not.toBeChecked();
    expect(screen.queryByLabelText('Base URL')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Test connection' })).toBeNull();
  });

  it('checks the remote fields as they are typed, by the same rules as main', async () => {
    const { user, api } = await openSettings();
    await user.click(screen.getByRole('radio', { name: 'Remote' }));
    const url = screen.getByLabelText('Base URL');
    expect(url).toHaveAccessibleDescription(/https:\/\/ is required, except to this computer/u);
    expect(url).not.toHaveAttribute('aria-invalid', 'true');

    await user.type(url, 'http://pbx.example.com');
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(url).toHaveAccessibleDescription(
      'The backend URL must start with https:// (plain http:// is allowed only to this computer).',
    );
    await user.clear(url);
    await user.type(url, 'https://admin:pw@pbx.example.com');
    expect(url).toHaveAccessibleDescription('Put the API token in its own field, not in the URL.');
    await user.clear(url);
    await user.type(url, 'http://127.0.0.1:8080');
    expect(url).not.toHaveAttribute('aria-invalid', 'true');

    const timeout = screen.getByLabelText('Request timeout');
    await user.clear(timeout);
    await user.type(timeout, '4');
    expect(timeout).toHaveAccessibleDescription('Give a whole number of seconds from 5 to 600.');
    const concurrent = screen.getByLabelText('Requests at once');
    await user.clear(concurrent);
    await user.type(concurrent, '9');
    expect(concurrent).toHaveAccessibleDescription('Give a whole number from 1 to 8.');

    // The token's "type one" shows once Save was tried; nothing is sent while anything is wrong.
    const token = screen.getByLabelText('API token');
    expect(token).toHaveAttribute('type', 'password');
    expect(token).not.toHaveAttribute('aria-invalid', 'true');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(token).toHaveAttribute('aria-invalid', 'true');
    expect(token).toHaveAccessibleDescription(
      'Type the API token this backend’s administrator gave you.',
    );
    expect(token).toHaveFocus();
    expect(updates(api)).toEqual([]);
  });

  it('says how a kept token is kept, never shows it, and offers Replace and Forget', async () => {
    const { user } = await openSettings(REMOTE);
    const status = screen.getByRole('group', { name: 'API token' });
    expect(status).toHaveTextContent(
      'A token is kept for this URL (encrypted by the system keychain).',
    );
    expect(screen.queryByLabelText('API token', { selector: 'input' })).toBeNull();

    await user.click(within(status).getByRole('button', { name: 'Replace' }));
    const field = screen.getByLabelText('API token');
    expect(field).toHaveValue('');
    expect(field).toHaveAttribute('type', 'password');
    expect(field).toHaveAccessibleDescription('The new token replaces the kept one when you save.');
    await user.click(screen.getByRole('button', { name: 'Keep the current token' }));

    await user.click(screen.getByRole('button', { name: 'Forget' }));
    expect(screen.getByLabelText('API token')).toHaveAccessibleDescription(
      'The kept token will be forgotten when you save; a remote backend needs a new one.',
    );
    await user.click(screen.getByRole('button', { name: 'Undo' }));

    // Another URL: the kept token is not its.
    const url = screen.getByLabelText('Base URL');
    await user.clear(url);
    await user.type(url, 'https://other.example.com');
    expect(screen.getByLabelText('API token')).toHaveAccessibleDescription(
      'The token kept is for https://pbx.example.com; type the one for this URL.',
    );
    // The same URL written another way is the same URL.
    await user.clear(url);
    await user.type(url, 'HTTPS://PBX.example.com/');
    expect(screen.getByRole('group', { name: 'API token' })).toBeInTheDocument();
  });

  it('says when a token is kept for this run only, and why tokens cannot be encrypted', async () => {
    await openSettings({
      ...REMOTE,
      token: { set: true, kept: 'this-run-only' },
      tokenStorage: { encrypted: false, why: 'no keyring is running (basic_text)' },
    });
    expect(screen.getByRole('group', { name: 'API token' })).toHaveTextContent(
      'A token is kept for this URL for this run only: after a restart, PassDesk asks for it again.',
    );
    expect(screen.getByRole('note')).toHaveTextContent(
      'This computer cannot encrypt the API token (no keyring is running (basic_text)). PassDesk will keep it for this run only: after a restart, it asks for it again.',
    );
  });

  it('tests the values typed and shows a failure as a checklist, its message in full', async () => {
    const { user, api } = await openSettings();
    let answer: (report: ConnectionTestReport) => void = () => undefined;
    api.testReport = new Promise((resolve) => (answer = resolve));
    await user.click(screen.getByRole('radio', { name: 'Remote' }));
    await user.type(screen.getByLabelText('Base URL'), 'http://127.0.0.1:59999');
    await user.type(screen.getByLabelText('API token'), 'tok-123456');
    await user.click(screen.getByRole('button', { name: 'Test connection' }));

    const group = screen.getByRole('group', { name: 'Connection test' });
    const button = within(group).getByRole('button', { name: 'Testing…' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(group).toHaveTextContent('Testing http://127.0.0.1:59999…');
    await user.click(button);
    expect(tests(api)).toEqual([
      { url: 'http://127.0.0.1:59999', token: 'tok-123456', timeoutSeconds: 30 },
    ]);

    act(() => answer(refusedReport()));
    expect(await within(group).findByTestId('connection-verdict')).toHaveTextContent(
      REFUSED_MESSAGE,
    );
    const checks = within(group).getAllByRole('listitem');
    expect(checks.map((check) => check.dataset.status)).toEqual([
      'passed',
      'failed',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(checks[0]).toHaveTextContent('✓Address (passed)http://127.0.0.1:59999');
    expect(checks[1]).toHaveTextContent(
      '✗Reaching the backend (failed)The request failed without an answer (ECONNREFUSED).',
    );
    expect(checks[2]).toHaveTextContent('–API version (not checked)');

    // Typing after the test says the result is about other values.
    await user.type(screen.getByLabelText('Base URL'), '1');
    expect(group).toHaveTextContent('You changed the values since this test');
  });

  it('shows a passed test, using the kept token when none is typed', async () => {
    const { user, api } = await openSettings(REMOTE);
    api.testReport = passedReport();
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByTestId('connection-verdict')).toHaveTextContent(
      '✓Connected to https://pbx.example.com — PassDesk API 1.0',
    );
    const checks = screen.getAllByRole('listitem');
    expect(checks.every((check) => check.dataset.status === 'passed')).toBe(true);
    expect(tests(api)).toEqual([{ url: 'https://pbx.example.com', timeoutSeconds: 30 }]);
  });

  it('saves exactly the changed fields, the token only when one is typed', async () => {
    const { user, api, closed } = await openSettings(REMOTE);
    const timeout = screen.getByLabelText('Request timeout');
    await user.clear(timeout);
    await user.type(timeout, '90');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(updates(api)).toEqual([{ remote: { timeoutSeconds: 90 } }]);
    await waitFor(() => expect(closed.count).toBe(1));
  });

  it('sends a new token with the switch to a remote backend', async () => {
    const { user, api } = await openSettings();
    await user.type(screen.getByLabelText('Your name'), '  Renée  ');
    await user.click(screen.getByRole('radio', { name: 'Remote' }));
    await user.type(screen.getByLabelText('Base URL'), 'https://pbx.example.com/');
    await user.type(screen.getByLabelText('API token'), 'tok-abcdef');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(updates(api)).toEqual([
      {
        operatorName: 'Renée',
        backend: 'remote',
        remote: { url: 'https://pbx.example.com/' },
        token: 'tok-abcdef',
      },
    ]);
  });

  it('forgets a kept token from the built-in choice, and leaves hidden remote edits out', async () => {
    const { user, api } = await openSettings(REMOTE);
    await user.type(screen.getByLabelText('Base URL'), '/typo');
    await user.click(screen.getByRole('radio', { name: 'Built-in' }));
    const kept = screen.getByTestId('kept-remote');
    expect(kept).toHaveTextContent(
      'Kept for the remote backend: https://pbx.example.com, with its API token (encrypted by the system keychain).',
    );
    await user.click(within(kept).getByRole('button', { name: 'Forget the token' }));
    expect(kept).toHaveTextContent('The token will be forgotten when you save.');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(updates(api)).toEqual([{ backend: 'built-in', token: null }]);
  });

  it('shows a refused switch in the dialog and changes nothing else', async () => {
    const { user, api, closed, queryClient } = await openSettings(REMOTE);
    api.settingsFailure = fail(
      'conflict',
      'A job is running or being checked on the current backend. Wait for it to finish, or cancel it, then change the backend.',
    );
    await user.click(screen.getByRole('radio', { name: 'Built-in' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Nothing was changed: A job is running or being checked on the current backend. Wait for it to finish, or cancel it, then change the backend.',
    );
    expect(closed.count).toBe(0);
    expect(screen.getByRole('radio', { name: 'Built-in' })).toBeChecked();
    expect(queryClient.getQueryData(['settings'])).toEqual(REMOTE);
  });

  it('shows what main found wrong with the values', async () => {
    const { user, api } = await openSettings(REMOTE);
    api.settingsFailure = fail(
      'invalid-input',
      'The API token cannot contain spaces, line breaks, tabs or other invisible characters; paste it again as one word.',
    );
    await user.click(screen.getByRole('button', { name: 'Replace' }));
    await user.type(screen.getByLabelText('API token'), 'abc\u200bdef');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The settings were not saved: The API token cannot contain spaces',
    );
  });

  it('says it is switching, and neither sends twice nor closes meanwhile', async () => {
    const { user, api, closed } = await openSettings(REMOTE);
    let done: () => void = () => undefined;
    api.holdSettings = new Promise((resolve) => (done = resolve));
    await user.click(screen.getByRole('radio', { name: 'Built-in' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('status')).toHaveTextContent('Switching to the built-in backend…');
    const busy = screen.getByRole('button', { name: 'Switching…' });
    expect(busy).toHaveAttribute('aria-disabled', 'true');
    await user.click(busy);
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(updates(api)).toHaveLength(1);
    expect(closed.count).toBe(0);
    act(() => done());
    await waitFor(() => expect(closed.count).toBe(1));
  });

  it('asks before discarding changes, and closes at once when there are none', async () => {
    const { user, closed } = await openSettings();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(closed.count).toBe(1);
    await user.type(screen.getByLabelText('Your name'), 'x');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(
      screen.getByRole('group', { name: 'Discard your changes to the settings?' }),
    ).toBeVisible();
    expect(closed.count).toBe(1);
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    expect(closed.count).toBe(2);
  });
});
