import {
  CHANGED_WORDS,
  outcomeWord,
  type JobOutcome,
  type JobSummary,
} from '../../../../../shared/ipc/index.ts';
import { useCommands } from '../../../lib/commands.tsx';
import { useLicenses } from '../../../lib/use-licenses.ts';
import { formatClock, formatCount, formatDuration, plural } from '../../../lib/format.ts';
import { errorText } from '../../../lib/query.ts';
import { useCancelJob, useCheckJobAgain } from '../api/jobs.ts';
import {
  barSegments,
  isSending,
  jobManner,
  jobTitle,
  problemCount,
  verdictOf,
} from '../model/job-verdict.ts';

/** The counts a card shows, in this order, each only when there is one. */
const SUMMARY: readonly { outcome: JobOutcome; tone: string }[] = [
  { outcome: 'changed', tone: 'ok' },
  { outcome: 'unconfirmed', tone: 'warn' },
  { outcome: 'rejected', tone: 'bad' },
  { outcome: 'failed', tone: 'bad' },
  { outcome: 'not-sent', tone: 'bad' },
  { outcome: 'not-found', tone: 'bad' },
  { outcome: 'unknown', tone: 'bad' },
  { outcome: 'unchanged', tone: '' },
  { outcome: 'skipped', tone: '' },
];

const time = (iso: string): string => formatClock(iso);

/** Why a running job is waiting, in words: it goes on by itself once the backend answers. */
function waitingWords(waiting: NonNullable<JobSummary['waiting']>): string {
  return waiting.reason === 'unreachable'
    ? `Backend unreachable since ${time(waiting.since)} — retrying`
    : `The backend refused the API token since ${time(waiting.since)} — update it in Settings`;
}

/** One bulk job: its verdict at a glance, its progress, its counts and what can be done. */
export function JobCard({ job, onOpen }: { job: JobSummary; onOpen: () => void }) {
  const licenses = useLicenses();
  const licenseNames = new Map((licenses.data ?? []).map((l) => [l.id, l.name]));
  const cancel = useCancelJob();
  const check = useCheckJobAgain();
  const commands = useCommands();
  const sending = isSending(job);
  // Only while it runs: a job cancelled meanwhile is not waiting for anything any more.
  const waiting = job.state === 'running' ? job.waiting : null;
  const verdict = verdictOf(job);
  const { counts } = job;
  const error =
    cancel.error !== null
      ? `The job could not be cancelled: ${errorText(cancel.error)}`
      : check.error !== null
        ? `The backend could not be asked: ${errorText(check.error)}`
        : null;
  const note =
    cancel.data?.cancelled === false
      ? 'The job had already stopped sending.'
      : check.data?.checking === false
        ? 'There is nothing left to ask the backend about, or it is being asked already.'
        : null;
  return (
    <li
      className={`job-card job-card--${verdict.tone}`}
      data-job={job.id}
      data-state={job.state}
      data-tone={verdict.tone}
    >
      <div className="job-card__top">
        <span className="job-card__title">
          {jobTitle(job.params, licenseNames)} · {plural(job.total, 'user')}
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
        aria-label={`Progress of ${jobTitle(job.params, licenseNames)} for ${plural(job.total, 'user')}`}
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
          <span data-testid="job-in-flight">{formatCount(job.inFlight)} in progress</span>
        )}
        {sending && waiting === null && job.ratePerSecond !== null && (
          <span>{formatCount(Math.round(job.ratePerSecond))} users/s</span>
        )}
        {sending && waiting === null && job.etaSeconds !== null && (
          <span>{formatDuration(job.etaSeconds)} left</span>
        )}
        <span className="job-card__summary" data-testid="job-summary">
          {/* Only what happened; once sending is over, the line before says how many changed. */}
          {SUMMARY.filter(
            ({ outcome }) => counts[outcome] > 0 && (sending || outcome !== 'changed'),
          ).map(({ outcome, tone }) => (
            <b key={outcome} className={tone}>
              {formatCount(counts[outcome])} {outcomeWord(job.params.kind, outcome).toLowerCase()}
            </b>
          ))}
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
      {waiting !== null && (
        <p className="job-card__note job-card__waiting" data-testid="job-waiting" role="status">
          <span>{waitingWords(waiting)}.</span>
          {waiting.reason === 'token-refused' && (
            <button
              type="button"
              className="job-card__link"
              onClick={() => commands.open({ kind: 'settings' })}
            >
              Open Settings
            </button>
          )}
        </p>
      )}
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
      {error === null && note !== null && (
        <p className="job-card__note" role="status">
          {note}
        </p>
      )}
      <div className="job-card__meta">
        {new Date(job.createdAt).toLocaleString()} · by {job.actor}
        {jobManner(job.params) !== null && ` · ${jobManner(job.params)}`}
        {job.retryOf !== null && ' · a retry of an earlier job'}
        {job.state === 'interrupted' &&
          ' · PassDesk stopped during this job; what it had sent was checked with the backend.'}
      </div>
    </li>
  );
}
