import { useState } from 'react';
import type { JobSummary, Result } from '../../../../../shared/ipc/index.ts';
import { SECRET_NOUNS } from '../../../../../shared/rules/index.ts';
import { getApi } from '../../../lib/api.ts';
import { formatCount, formatDuration, plural } from '../../../lib/format.ts';
import { isActive, verdictOf } from '../model/job-verdict.ts';
import { JobResultsDialog } from './job-results-dialog.tsx';
import './jobs-panel.css';

export interface JobsPanelProps {
  jobs: readonly JobSummary[];
  error: string | null;
  onSelectUsers: (userIds: readonly string[]) => void;
  onRunAgain: (userIds: readonly string[], jobId: string) => void;
}

/** Each bulk job: live progress, then a summary and its per-user results. */
export function JobsPanel({ jobs, error, onSelectUsers, onRunAgain }: JobsPanelProps) {
  const [open, setOpen] = useState<string | null>(null);
  const opened = jobs.find((job) => job.id === open);
  return (
    <section className="jobs-panel" aria-labelledby="jobs-title">
      <header className="jobs-panel__header">
        <h2 id="jobs-title">Jobs</h2>
        {error !== null && (
          <span className="jobs-panel__error">Could not load earlier jobs: {error}</span>
        )}
      </header>
      {jobs.length === 0 ? (
        <p className="jobs-panel__empty">
          No jobs yet. Right-click users in the table to reset their passwords.
        </p>
      ) : (
        <ol className="jobs-panel__list">
          {jobs.map((job) => (
            <JobCard key={job.id} job={job} onOpen={() => setOpen(job.id)} />
          ))}
        </ol>
      )}
      {opened !== undefined && (
        <JobResultsDialog
          job={opened}
          onClose={() => setOpen(null)}
          onSelectUsers={(ids) => {
            setOpen(null);
            onSelectUsers(ids);
          }}
          onRunAgain={(ids) => {
            setOpen(null);
            onRunAgain(ids, opened.id);
          }}
        />
      )}
    </section>
  );
}

function JobCard({ job, onOpen }: { job: JobSummary; onOpen: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const active = isActive(job);
  const verdict = verdictOf(job);
  const share = (n: number): string =>
    `${job.total === 0 ? 100 : Math.round((n / job.total) * 1000) / 10}%`;
  const what = job.secretKinds.map((kind) => SECRET_NOUNS[kind].title).join(' + ');
  const counts = job.counts;
  const act = (call: () => Promise<Result<unknown>>, failed: string) => {
    setError(null);
    void call().then((result) => {
      if (!result.ok) setError(`${failed}: ${result.message}`);
    });
  };
  const cancel = () =>
    act(() => getApi().cancelJob({ jobId: job.id }), 'The job could not be cancelled');
  const checkAgain = () =>
    act(() => getApi().checkJobAgain({ jobId: job.id }), 'The backend could not be asked');
  return (
    <li
      className={`job-card job-card--${verdict.tone}`}
      data-job={job.id}
      data-state={job.state}
      data-tone={verdict.tone}
    >
      <div className="job-card__top">
        <span className="job-card__title">
          Reset {what} · {plural(job.total, 'user')}
        </span>
        <span
          className={`job-card__badge job-card__badge--${verdict.tone}`}
          data-testid="job-badge"
        >
          {verdict.label}
        </span>
      </div>
      <div
        className="job-card__bar"
        role="progressbar"
        aria-label={`Progress of the reset for ${plural(job.total, 'user')}`}
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.done}
      >
        <span style={{ inlineSize: share(job.done - counts.unconfirmed) }} />
        {counts.unconfirmed > 0 && (
          <span
            className="job-card__unconfirmed"
            style={{ inlineSize: share(counts.unconfirmed) }}
          />
        )}
        {active && job.inFlight > 0 && (
          <span className="job-card__sent" style={{ inlineSize: share(job.inFlight) }} />
        )}
      </div>
      <div className="job-card__line">
        <span data-testid="job-progress">
          {formatCount(job.done)} / {formatCount(job.total)}
        </span>
        {active && job.inFlight > 0 && (
          <span data-testid="job-in-flight">{formatCount(job.inFlight)} with the backend</span>
        )}
        {active && job.ratePerSecond !== null && (
          <span>{formatCount(Math.round(job.ratePerSecond))} users/s</span>
        )}
        {active && job.etaSeconds !== null && <span>{formatDuration(job.etaSeconds)} left</span>}
        {!active && (
          <span className="job-card__summary" data-testid="job-summary">
            <b className={counts.changed > 0 ? 'ok' : ''}>{formatCount(counts.changed)} changed</b>
            {counts.unconfirmed > 0 && (
              <b className="warn">{formatCount(counts.unconfirmed)} not confirmed yet</b>
            )}
            <b className={counts.rejected > 0 ? 'bad' : ''}>
              {formatCount(counts.rejected)} rejected
            </b>
            <b className={counts.failed > 0 ? 'bad' : ''}>{formatCount(counts.failed)} failed</b>
            <b className={counts['not-sent'] > 0 ? 'bad' : ''}>
              {formatCount(counts['not-sent'])} not sent
            </b>
            {counts['not-found'] > 0 && <b>{formatCount(counts['not-found'])} not found</b>}
            {counts.skipped > 0 && <b>{formatCount(counts.skipped)} already changed</b>}
          </span>
        )}
        <span className="job-card__actions">
          {job.state === 'running' && (
            <button type="button" className="button button--small button--danger" onClick={cancel}>
              Cancel
            </button>
          )}
          {job.state === 'unconfirmed' && (
            <button type="button" className="button button--small" onClick={checkAgain}>
              Check again
            </button>
          )}
          <button type="button" className="button button--small" onClick={onOpen}>
            Results
          </button>
        </span>
      </div>
      {job.state === 'unconfirmed' && (
        <p className="job-card__note" data-testid="job-note">
          {plural(counts.unconfirmed, 'user')} {counts.unconfirmed === 1 ? 'was' : 'were'} sent, but
          the backend has not confirmed what it did. Check again asks it; PassDesk also asks at its
          next start.
        </p>
      )}
      {error !== null && (
        <p className="job-card__error" role="alert">
          {error}
        </p>
      )}
      <div className="job-card__meta">
        {new Date(job.createdAt).toLocaleString()} · by {job.actor}
        {job.retryOf !== null && ' · a retry of an earlier job'}
        {job.state === 'interrupted' &&
          ' · PassDesk stopped during this job; what it had sent was checked with the backend.'}
      </div>
    </li>
  );
}
