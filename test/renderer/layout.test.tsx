import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App, JOBS_PANEL_KEY } from '../../renderer/src/app/app.tsx';
import type { JobSummary } from '../../shared/ipc/index.ts';
import { installFakeApi } from './fake-api.ts';
import { jobCounts } from './job-fixtures.ts';
import { renderWithApp } from './render.tsx';

const running: JobSummary = {
  id: 'job-a',
  params: { kind: 'password-reset', secretKinds: ['applicationPassword'] },
  actor: 'tester',
  createdAt: '2026-11-27T10:00:00.000Z',
  finishedAt: null,
  state: 'running',
  total: 10_000,
  done: 3200,
  inFlight: 0,
  lastCheck: null,
  stoppedBecause: null,
  waiting: null,
  counts: jobCounts({ pending: 6800, changed: 3200 }),
  ratePerSecond: null,
  etaSeconds: null,
  retryOf: null,
};

const stored = () => JSON.parse(localStorage.getItem(JOBS_PANEL_KEY) ?? 'null') as unknown;
const jobsBody = () => document.getElementById('jobs-body');

beforeEach(() => localStorage.clear());

describe('the jobs panel in the window', () => {
  it('starts expanded, below a splitter, when nothing (or something broken) is stored', async () => {
    installFakeApi();
    localStorage.setItem(JOBS_PANEL_KEY, '{"collapsed":');
    renderWithApp(<App />);
    expect(await screen.findByText(/^No jobs yet\. Right-click/u)).toBeVisible();
    expect(screen.getByRole('separator', { name: 'Resize the jobs panel' })).toHaveAttribute(
      'aria-controls',
      'jobs-panel',
    );
    expect(screen.getByRole('button', { name: 'Collapse' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    // The broken value is replaced by a good one.
    expect(stored()).toEqual({ collapsed: false, size: null });
  });

  it('collapses to its header line, and stays so after a restart', async () => {
    const user = userEvent.setup();
    installFakeApi();
    const first = renderWithApp(<App />);
    await user.click(await screen.findByRole('button', { name: 'Collapse' }));
    expect(jobsBody()).not.toBeVisible();
    expect(screen.queryByRole('separator')).toBeNull();
    expect(screen.getByRole('region', { name: 'Jobs' })).toHaveTextContent('No jobs yet');
    expect(stored()).toEqual({ collapsed: true, size: null });
    first.unmount();

    renderWithApp(<App />);
    const expand = await screen.findByRole('button', { name: 'Expand' });
    expect(expand).toHaveAttribute('aria-expanded', 'false');
    expect(jobsBody()).not.toBeVisible();
    await user.click(expand);
    expect(jobsBody()).toBeVisible();
    expect(screen.getByRole('separator')).toBeInTheDocument();
    expect(stored()).toEqual({ collapsed: false, size: null });
  });

  it('when collapsed, says in its header what the newest job is doing, as it changes', async () => {
    const api = installFakeApi();
    api.jobs = [{ ...running, id: 'job-old', createdAt: '2026-11-27T09:00:00.000Z' }];
    localStorage.setItem(JOBS_PANEL_KEY, JSON.stringify({ collapsed: true, size: null }));
    renderWithApp(<App />);
    const header = within(screen.getByRole('region', { name: 'Jobs' }));
    expect(await header.findByTestId('jobs-newest')).toHaveTextContent(
      'Running: Reset Application Password · 3,200 / 10,000',
    );
    // A job started while collapsed: the panel stays collapsed, the header names it.
    act(() => api.emitJobUpdate({ ...running, done: 10 }));
    // The query cache tells its readers a tick later.
    await waitFor(() =>
      expect(header.getByTestId('jobs-newest')).toHaveTextContent(
        'Running: Reset Application Password · 10 / 10,000',
      ),
    );
    act(() =>
      api.emitJobUpdate({
        ...running,
        state: 'completed',
        done: 10_000,
        counts: { ...running.counts, pending: 0, changed: 10_000 },
      }),
    );
    await waitFor(() =>
      expect(header.getByTestId('jobs-newest')).toHaveTextContent(
        'Finished: Reset Application Password · 10,000 of 10,000 changed',
      ),
    );
    expect(jobsBody()).not.toBeVisible();
  });
});

describe('the jobs panel size', () => {
  // jsdom lays nothing out: the window's main area is given the height it has at 1280×800.
  beforeEach(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
      configurable: true,
      get(this: HTMLElement) {
        return this.tagName === 'MAIN' ? 727 : 0;
      },
    });
  });
  afterEach(() => {
    delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  });

  it('shows one whole job card by default, and remembers a size set from the keyboard', async () => {
    const user = userEvent.setup();
    installFakeApi();
    const first = renderWithApp(<App />);
    const bar = await screen.findByRole('separator');
    // 727 px: 160 for the jobs (their header and one card), 8 for the splitter, the rest for
    // the table (about 12 rows).
    expect(bar).toHaveAttribute('aria-valuenow', '160');
    expect(bar).toHaveAttribute('aria-valuemin', '76');
    expect(bar).toHaveAttribute('aria-valuemax', '459');
    bar.focus();
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(bar).toHaveAttribute('aria-valuenow', '224');
    expect(stored()).toEqual({ collapsed: false, size: 224 });
    first.unmount();

    renderWithApp(<App />);
    expect(await screen.findByRole('separator')).toHaveAttribute('aria-valuenow', '224');
  });

  it('keeps a remembered size within what this window allows', async () => {
    installFakeApi();
    localStorage.setItem(JOBS_PANEL_KEY, JSON.stringify({ collapsed: false, size: 5000 }));
    renderWithApp(<App />);
    expect(await screen.findByRole('separator')).toHaveAttribute('aria-valuenow', '459');
  });
});
