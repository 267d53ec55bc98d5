import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/app/app.tsx';
import type { AppInfo, JobSummary } from '../../shared/ipc/index.ts';
import { DEFAULT_RULES } from '../../shared/rules/index.ts';
import { installFakeApi, makeUsers, type FakeApi } from './fake-api.ts';
import { jobCounts } from './job-fixtures.ts';
import { renderWithApp } from './render.tsx';

const OLD_JOB: JobSummary = {
  id: 'job-old',
  params: { kind: 'intercept', intercepted: true },
  actor: 'Renée',
  createdAt: '2026-11-27T10:00:00.000Z',
  finishedAt: '2026-11-27T10:01:00.000Z',
  state: 'completed',
  total: 2,
  done: 2,
  inFlight: 0,
  lastCheck: null,
  stoppedBecause: null,
  waiting: null,
  counts: jobCounts({ changed: 2 }),
  ratePerSecond: null,
  etaSeconds: null,
  retryOf: null,
};

const REMOTE_INFO: AppInfo = {
  name: 'PassDesk',
  version: '9.8.7',
  backend: { kind: 'remote', url: 'https://pbx.example.com' },
};

const count = (api: FakeApi, method: string) =>
  api.calls.filter((call) => call.method === method).length;

/** The main process switched: from now on the fake answers as the new backend. */
function switchBackend(api: FakeApi) {
  api.users = makeUsers(3, 'loc-r');
  api.locations = [{ id: 'loc-r', name: 'Remote HQ', userCount: 3 }];
  api.jobs = [];
  api.connection = { ...api.connection, state: 'connecting', backend: REMOTE_INFO.backend };
  act(() => api.emitBackendChanged(REMOTE_INFO));
}

async function renderApp() {
  const api = installFakeApi();
  api.jobs = [OLD_JOB];
  const rendered = renderWithApp(<App />);
  expect(await screen.findByText('12 shown of 12 users')).toBeInTheDocument();
  expect(await screen.findByRole('button', { name: 'Outbox' })).toBeInTheDocument();
  await screen.findByText(/Turn intercept on · 2 users/u);
  return { api, ...rendered };
}

describe('a switch to another backend', () => {
  it('clears what belonged to the old one and loads the new one’s', async () => {
    const { api, commands, queryClient } = await renderApp();
    act(() => api.emitRulesChanged(DEFAULT_RULES));
    expect(queryClient.getQueryData(['rules'])).toEqual(DEFAULT_RULES);
    act(() => commands.selectUsers(['11635-001', '11635-002']));
    expect(await screen.findByText('2 selected')).toBeInTheDocument();
    act(() => commands.open({ kind: 'edit-user', userId: '11635-001' }));
    expect(await screen.findByRole('dialog', { name: 'Edit user' })).toBeInTheDocument();
    const before = {
      licenses: count(api, 'listLicenses'),
      lastActions: count(api, 'lastActions'),
      connection: count(api, 'getConnection'),
    };

    switchBackend(api);

    expect(screen.queryByRole('dialog', { name: 'Edit user' })).toBeNull();
    expect(await screen.findByText('3 shown of 3 users')).toBeInTheDocument();
    expect(screen.getByText('0 selected')).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Remote HQ (3)' })).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: 'Philadelphia HQ (4)' })).toBeNull();
    expect(await screen.findByText(/^No jobs yet\./u)).toBeInTheDocument();
    expect(screen.getByText('Backend: pbx.example.com')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Outbox' })).toBeNull();
    await waitFor(() => {
      expect(count(api, 'listLicenses')).toBe(before.licenses + 1);
      expect(count(api, 'getConnection')).toBe(before.connection + 1);
    });
    // The last actions are asked for afresh, not "since" the old backend's answer.
    const lastActions = api.calls.filter((call) => call.method === 'lastActions');
    expect(lastActions.length).toBeGreaterThan(before.lastActions);
    expect(lastActions.at(-1)?.input).toEqual({ since: null });
    expect(commands.getState().selection).toBeNull();
    // The old backend's rules are gone: whatever needs them next asks the new one.
    expect(queryClient.getQueryData(['rules'])).toBeUndefined();
  });

  it('leaves Settings open, where the switch was asked for', async () => {
    const { api, commands } = await renderApp();
    act(() => commands.open({ kind: 'settings' }));
    expect(await screen.findByRole('dialog', { name: 'Settings' })).toBeInTheDocument();
    switchBackend(api);
    expect(await screen.findByText('3 shown of 3 users')).toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeInTheDocument();
    expect(commands.getState().dialog).toEqual({ kind: 'settings' });
  });
});
