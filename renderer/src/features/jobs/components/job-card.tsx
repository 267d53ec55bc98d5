import { CHANGED_WORDS, outcomeWord, type JobSummary } from '../../../../../shared/ipc/index.ts';
import { formatCount, formatDuration, plural } from '../../../lib/format.ts';
import { errorText } from '../../../lib/query.ts';
import { useCancelJob, useCheckJobAgain } from '../api/jobs.ts';
import { barSegments, isSending, jobTitle, problemCount, verdictOf } from '../model/job-verdict.ts';

const time = (iso: string): string =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** One bulk job: its verdict at a glance, its progress, its counts and what can be done. */
export function JobCard({ job, onOpen }: { job: JobSummary; onOpen: () => void }) {
  const cancel = useCancelJob();
  const check = useCheckJobAgain();
  const sending = isSending(job);
  const verdict = verdictOf(job);
  const { counts } = job;
  const error =
    cancel.error !== null
      ? `The job could not be cancelled: ${errorText(cancel.error)}`
      : check.error !== null
        ? `The backend could not be asked: ${errorText(check.error)}`
        : null;
  const count = (n: number, words: string, tone: 'ok' | 'bad' | 'warn' | '' = '') => (
    <b className={n > 0 ? tone : ''}>
      {formatCount(n)} {words}
    </b>
  );
  return (
    <li
      className={`job-card job-card--${verdict.tone}`}
      data-job={job.id}
      data-state={job.state}
      data-tone={verdict.tone}
    >
      <div className="job-card__top">
        <span className="job-card__title">
          {jobTitle(job.params)} · {plural(job.total, 'user')}
        </span>
        <span
          className={`job-card__badge job-card__badge--${verdict.tone}`}
          data-testid="job-badge"
          aria-live="polite"
        >
          {verdict.label}
        </span>
      </div>
      <div
        className="job-card__bar"
        role="progressbar"
        aria-label={`Progress of ${jobTitle(job.params)} for ${plural(job.total, 'user')}`}
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.done}
      >
        {barSegments(job).map((segment) => (
          <span
            key={segment.kind}
            className={`job-card__seg job-card__seg--${segment.kind}`}
            style={{ inlineSize: `${(segment.users / Math.max(1, job.total)) * 100}%` }}
          />
        ))}
      </div>
      <div className="job-card__line">
        <span data-testid="job-progress">
          {sending ? (
            `${formatCount(job.done)} / ${formatCount(job.total)}`
          ) : (
            <b className={counts.changed > 0 ? 'ok' : ''}>
              {formatCount(counts.changed)} of {formatCount(job.total)}{' '}
              {CHANGED_WORDS[job.params.kind].toLowerCase()}
            </b>
          )}
        </span>
        {sending && job.inFlight > 0 && (
          <span data-testid="job-in-flight">{formatCount(job.inFlight)} with the backend</span>
        )}
        {sending && job.ratePerSecond !== null && (
          <span>{formatCount(Math.round(job.ratePerSecond))} users/s</span>
        )}
        {sending && job.etaSeconds !== null && <span>{formatDuration(job.etaSeconds)} left</span>}
        <span className="job-card__summary" data-testid="job-summary">
          {/* Once sending is over, the line before says how many were changed. */}
          {sending && count(counts.changed, 'changed', 'ok')}
          {counts.unconfirmed > 0 && count(counts.unconfirmed, 'not confirmed yet', 'warn')}
          {count(counts.rejected, 'rejected', 'bad')}
          {count(counts.failed, 'failed', 'bad')}
          {count(counts['not-sent'], 'not sent', 'bad')}
          {counts['not-found'] > 0 && count(counts['not-found'], 'not found', 'bad')}
          {counts.unknown > 0 && count(counts.unknown, 'unknown', 'bad')}
          {counts.unchanged > 0 && count(counts.unchanged, 'already so')}
          {counts.skipped > 0 &&
            count(counts.skipped, outcomeWord(job.params.kind, 'skipped').toLowerCase())}
        </span>
        <span className="job-card__actions">
          {job.state === 'running' && (
            <button
              type="button"
              className="button button--small button--danger"
              onClick={() => cancel.mutate(job.id)}
            >
              Cancel
            </button>
          )}
          {job.state === 'unconfirmed' && (
            <button
              type="button"
              className="button button--small"
              onClick={() => check.mutate(job.id)}
            >
              Check again
            </button>
          )}
          <button type="button" className="button button--small" onClick={onOpen}>
            Results
          </button>
        </span>
      </div>
      {job.stoppedBecause !== null && (
        <p className="job-card__note job-card__note--bad" data-testid="job-stopped">
          PassDesk stopped sending: {job.stoppedBecause}. {plural(counts['not-sent'], 'user')}{' '}
          {counts['not-sent'] === 1 ? 'was' : 'were'} not sent; Retry failed sends them again.
        </p>
      )}
      {job.state === 'unconfirmed' && (
        <p className="job-card__note" data-testid="job-note">
          {plural(counts.unconfirmed, 'user')} {counts.unconfirmed === 1 ? 'was' : 'were'} sent, but
          the backend has not confirmed what it did.
          {job.lastCheck === null
            ? ' Check again asks it; PassDesk also asks at its next start.'
            : ` Checked at ${time(job.lastCheck.at)}: ${job.lastCheck.why ?? 'no answer yet'}. Check again asks once more; PassDesk also asks at its next start.`}
        </p>
      )}
      {job.state !== 'unconfirmed' &&
        !sending &&
        job.lastCheck !== null &&
        job.lastCheck.stillUnconfirmed === 0 &&
        problemCount(counts) + counts.changed > 0 && (
          <p className="job-card__note job-card__note--ok" data-testid="job-checked">
            Checked with the backend at {time(job.lastCheck.at)}: every user is confirmed.
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
