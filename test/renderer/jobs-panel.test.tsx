import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { JobsPanel } from '../../renderer/src/features/jobs/index.ts';
import { fail, type JobSummary } from '../../shared/ipc/index.ts';
import { installFakeApi } from './fake-api.ts';
import { jobCounts } from './job-fixtures.ts';
import { renderWithApp } from './render.tsx';

const base: JobSummary = {
  id: 'job-a',
  params: { kind: 'password-reset', secretKinds: ['applicationPassword'] },
  actor: 'Renée',
  createdAt: '2026-11-27T10:00:00.000Z',
  finishedAt: null,
  state: 'running',
  total: 10_000,
  done: 2500,
  inFlight: 500,
  lastCheck: null,
  stoppedBecause: null,
  waiting: null,
  counts: jobCounts({ pending: 7500, changed: 2400, rejected: 100 }),
  ratePerSecond: 812.4,
  etaSeconds: 9.2,
  retryOf: null,
};

const finished: JobSummary = {
  ...base,
  state: 'completed',
  done: 10_000,
  finishedAt: '2026-11-27T10:01:00.000Z',
  inFlight: 0,
  counts: jobCounts({ changed: 9800, rejected: 150, failed: 30, 'not-sent': 20 }),
  ratePerSecond: null,
  etaSeconds: null,
};

/** The jobs panel, with these jobs listed by the main process. */
async function renderJobs(jobs: JobSummary[]) {
  const api = window.api as unknown as { jobs: JobSummary[] };
  api.jobs = jobs;
  const rendered = renderWithApp(<JobsPanel />);
  await screen.findAllByRole('listitem');
  return rendered;
}

describe('the jobs panel', () => {
  it('shows progress with done / total, rate and time left, and a Cancel button', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    await renderJobs([base]);
    const card = screen.getByRole('listitem');
    expect(within(card).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '2500');
    expect(card).toHaveTextContent('2,500 / 10,000');
    expect(card).toHaveTextContent('812 users/s');
    expect(card).toHaveTextContent('9 s left');
    await user.click(within(card).getByRole('button', { name: 'Cancel' }));
    expect(api.calls.at(-1)).toEqual({ method: 'cancelJob', input: { jobId: 'job-a' } });
  });

  it('sums a finished job up', async () => {
    installFakeApi();
    await renderJobs([finished]);
    expect(screen.getByTestId('job-progress')).toHaveTextContent('9,800 of 10,000 changed');
    expect(screen.getByTestId('job-summary')).toHaveTextContent('150 rejected30 failed20 not sent');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('lists results with reasons, and selects, reruns and exports the right users', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    api.jobResultsById.set('job-a', [
      { userId: 'u1', outcome: 'changed', reason: null },
      { userId: 'u5', outcome: 'not-found', reason: 'The backend has no such user.' },
      {
        userId: 'u2',
        outcome: 'rejected',
        reason: 'Application Password: Not the same as the previous password',
      },
      { userId: 'u3', outcome: 'failed', reason: 'The provisioning backend cannot be reached.' },
      {
        userId: 'u4',
        outcome: 'not-sent',
        reason: 'Cancelled before it was sent; nothing was changed.',
      },
    ]);
    const createObjectURL = vi.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const { commands } = await renderJobs([finished]);
    await user.click(screen.getByRole('button', { name: 'Results' }));
    const dialog = screen.getByRole('dialog', { name: 'Job results' });
    expect(
      await within(dialog).findByText(
        'Application Password: Not the same as the previous password',
      ),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('radio', { name: 'Failed (1)' }));
    expect(within(dialog).getAllByRole('row')).toHaveLength(2);

    await user.click(within(dialog).getByRole('button', { name: 'Export CSV' }));
    expect(api.calls.at(-1)).toEqual({ method: 'exportJobCsv', input: { jobId: 'job-a' } });
    expect(createObjectURL).toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Select these users (3)' }));
    expect(commands.getState().selection?.userIds).toEqual(['u2', 'u3', 'u4']);

    await user.click(screen.getByRole('button', { name: 'Results' }));
    // Everyone a new secret could help; not users the backend does not know, nor those changed.
    await user.click(await screen.findByRole('button', { name: 'Retry failed (3)' }));
    expect(commands.getState().dialog).toEqual({
      kind: 'password-reset',
      userIds: ['u2', 'u3', 'u4'],
      retryOf: 'job-a',
    });
  });
});

describe('a job card at a glance', () => {
  const card = async (job: Partial<JobSummary>) => {
    installFakeApi();
    await renderJobs([{ ...finished, ...job }]);
    return screen.getByRole('listitem');
  };
  const counts = (changes: Partial<JobSummary['counts']>): JobSummary['counts'] => ({
    ...finished.counts,
    changed: 0,
    rejected: 0,
    failed: 0,
    'not-sent': 0,
    ...changes,
  });

  it('is green only when everyone was changed', async () => {
    const all = await card({ counts: counts({ changed: 10_000 }) });
    expect(all).toHaveAttribute('data-tone', 'success');
    expect(screen.getByTestId('job-badge')).toHaveTextContent('Finished');
  });

  it('says "Finished with problems", not green, when some were rejected, failed or not sent', async () => {
    const some = await card({});
    expect(some).toHaveAttribute('data-tone', 'warning');
    expect(screen.getByTestId('job-badge')).toHaveTextContent('Finished with problems');
  });

  it('is red when nobody was changed, and never prints "0 changed" in green', async () => {
    const none = await card({ counts: counts({ failed: 10_000 }) });
    expect(none).toHaveAttribute('data-tone', 'danger');
    expect(screen.getByTestId('job-badge')).toHaveTextContent('Finished · nothing changed');
    const changed = within(screen.getByTestId('job-progress')).getByText('0 of 10,000 changed');
    expect(changed).not.toHaveClass('ok');
    expect(screen.getByRole('listitem').querySelector('.ok')).toBeNull();
  });

  it('is not finished while users are unconfirmed, and offers Check again', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    await renderJobs([
      {
        ...finished,
        state: 'unconfirmed',
        counts: counts({ changed: 9500, unconfirmed: 500 }),
      },
    ]);
    expect(screen.getByTestId('job-badge')).toHaveTextContent('Not confirmed yet');
    expect(screen.getByTestId('job-badge')).not.toHaveTextContent('Finished');
    expect(screen.getByTestId('job-summary')).toHaveTextContent('500 not confirmed yet');
    expect(screen.getByTestId('job-note')).toHaveTextContent(
      '500 users were sent, but the backend has not confirmed what it did.',
    );
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(api.calls.at(-1)).toEqual({ method: 'checkJobAgain', input: { jobId: 'job-a' } });
  });

  it('shows why Cancel failed instead of dropping it', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    api.cancelJob = () => Promise.resolve(fail('not-found', 'There is no such job.'));
    await renderJobs([base]);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The job could not be cancelled: There is no such job.',
    );
  });

  it('says which users Retry failed includes and which it leaves out', async () => {
    const user = userEvent.setup();
    const api = installFakeApi();
    api.jobResultsById.set('job-a', [
      { userId: 'u1', outcome: 'failed', reason: 'x' },
      { userId: 'u2', outcome: 'not-sent', reason: 'y' },
      { userId: 'u3', outcome: 'unconfirmed', reason: 'z' },
    ]);
    await renderJobs([
      {
        ...finished,
        counts: counts({ failed: 1, 'not-sent': 1, unconfirmed: 1, changed: 5 }),
      },
    ]);
    await user.click(screen.getByRole('button', { name: 'Results' }));
    expect(await screen.findByTestId('retry-plan')).toHaveTextContent(
      'Retry failed includes 1 failed user and 1 user not sent. It leaves out 1 user not confirmed yet (use Check again first).',
    );
    expect(screen.getByRole('button', { name: 'Retry failed (2)' })).toBeEnabled();
  });
});
