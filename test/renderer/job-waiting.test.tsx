import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { JobsPanel } from '../../renderer/src/features/jobs/index.ts';
import type { JobSummary } from '../../shared/ipc/index.ts';
import { installFakeApi } from './fake-api.ts';
import { jobCounts } from './job-fixtures.ts';
import { renderWithApp } from './render.tsx';

const since = '2026-11-27T10:42:00.000Z';
const hhmm = (iso: string) =>
  new Date(iso).toLocaleString([], {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

const running: JobSummary = {
  id: 'job-w',
  params: { kind: 'recovery-email' },
  actor: 'Renée',
  createdAt: '2026-11-27T10:40:00.000Z',
  finishedAt: null,
  state: 'running',
  total: 2000,
  done: 600,
  inFlight: 200,
  lastCheck: null,
  stoppedBecause: null,
  waiting: { reason: 'unreachable', since },
  counts: jobCounts({ pending: 1400, changed: 600 }),
  ratePerSecond: 120,
  etaSeconds: 12,
  retryOf: null,
};

async function renderJob(job: JobSummary) {
  const api = installFakeApi();
  api.jobs = [job];
  const rendered = renderWithApp(<JobsPanel />);
  const card = await screen.findByRole('listitem');
  return { api, card, ...rendered };
}

describe('a job waiting for the backend', () => {
  it('says since when the backend is unreachable, keeps its progress and its Cancel', async () => {
    const user = userEvent.setup();
    const { api, card } = await renderJob(running);
    expect(within(card).getByTestId('job-waiting')).toHaveTextContent(
      `Backend unreachable since ${hhmm(since)} — retrying.`,
    );
    expect(within(card).getByTestId('job-badge')).toHaveTextContent('Waiting for the backend');
    expect(card).toHaveAttribute('data-tone', 'warning');
    expect(within(card).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '600');
    expect(card).toHaveTextContent('600 / 2,000');
    // A rate and a time left mean nothing while nothing is sent.
    expect(card).not.toHaveTextContent('users/s');
    expect(card).not.toHaveTextContent('left');
    await user.click(within(card).getByRole('button', { name: 'Cancel' }));
    expect(api.calls.at(-1)).toEqual({ method: 'cancelJob', input: { jobId: 'job-w' } });
  });

  it('points to Settings when the token is refused, and clears when the job goes on', async () => {
    const user = userEvent.setup();
    const { api, card, commands } = await renderJob({
      ...running,
      waiting: { reason: 'token-refused', since },
    });
    expect(within(card).getByTestId('job-waiting')).toHaveTextContent(
      `The backend refused the API token since ${hhmm(since)} — update it in Settings.`,
    );
    await user.click(within(card).getByRole('button', { name: 'Open Settings' }));
    expect(commands.getState().dialog).toEqual({ kind: 'settings' });

    act(() => api.emitJobUpdate({ ...running, waiting: null, done: 800 }));
    const updated = screen.getByRole('listitem');
    await waitFor(() => expect(within(updated).queryByTestId('job-waiting')).toBeNull());
    expect(within(updated).getByTestId('job-badge')).toHaveTextContent('Running');
    expect(updated).toHaveTextContent('120 users/s');
  });
});
