import { useState } from 'react';
import {
  JOB_OUTCOMES,
  outcomeWord,
  RETRYABLE_OUTCOMES,
  type JobOutcome,
  type JobSummary,
} from '../../../../../shared/ipc/index.ts';
import { Modal } from '../../../components/modal/modal.tsx';
import { useCommands } from '../../../lib/commands.tsx';
import { formatCount, plural } from '../../../lib/format.ts';
import { errorText } from '../../../lib/query.ts';
import { useExportJobCsv, useJobResults } from '../api/jobs.ts';
import { isActive, jobManner, jobTitle, retryPlan } from '../model/job-verdict.ts';

export interface JobResultsDialogProps {
  job: JobSummary;
  onClose: () => void;
}

const SHOWN_ROWS = 500;

/** Each user's outcome and reason; select the ones that need attention, run them again, export. */
export function JobResultsDialog({ job, onClose }: JobResultsDialogProps) {
  const query = useJobResults(job.id);
  const exporting = useExportJobCsv();
  const commands = useCommands();
  const [filter, setFilter] = useState<JobOutcome | 'all'>('all');
  const results = query.data ?? null;
  const failure = query.error ?? exporting.error;
  const error = failure === null ? null : errorText(failure);

  const all = results ?? [];
  // Everyone a new attempt could help: not changed, known to the backend, and confirmed.
  const again = all.filter((r) => RETRYABLE_OUTCOMES.includes(r.outcome)).map((r) => r.userId);
  const plan = retryPlan(job.counts);
  const shown = filter === 'all' ? all : all.filter((r) => r.outcome === filter);
  const running = isActive(job);

  const selectThese = () => {
    onClose();
    commands.selectUsers(again);
  };
  const retry = () => {
    onClose();
    // The dialog of the job's kind, for these users, doing what this job did; it sends them as
    // a retry of this job.
    const { params } = job;
    const retry = { userIds: again, retryOf: job.id };
    if (params.kind === 'intercept')
      commands.open({ kind: 'intercept', ...retry, intercepted: params.intercepted });
    else if (params.kind === 'license')
      commands.open({ kind: 'license', ...retry, add: params.add, remove: params.remove });
    else if (params.kind === 'password-reset')
      commands.open({
        kind: 'password-reset',
        ...retry,
        ...(params.temporary === true ? { temporary: true } : {}),
      });
    else commands.open({ kind: params.kind, ...retry });
  };

  return (
    <Modal
      title="Job results"
      description={`${jobTitle(job.params)} for ${plural(job.total, 'user')}${jobManner(job.params) === null ? '' : `, ${jobManner(job.params)}`}, started ${new Date(job.createdAt).toLocaleString()} by ${job.actor}.`}
      width="wide"
      onClose={onClose}
      footer={
        <>
          <button
            type="button"
            className="button"
            onClick={() => exporting.mutate(job.id)}
            disabled={results === null}
          >
            Export CSV
          </button>
          <button
            type="button"
            className="button"
            disabled={again.length === 0}
            onClick={selectThese}
          >
            Select these users ({formatCount(again.length)})
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={again.length === 0 || running}
            onClick={retry}
          >
            Retry failed ({formatCount(again.length)})
          </button>
        </>
      }
    >
      {error !== null && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      {running && (
        <p className="job-results__live">
          Results so far: they update when the job finishes.{' '}
          <button
            type="button"
            className="button button--small"
            disabled={query.isFetching}
            onClick={() => void query.refetch()}
          >
            Refresh
          </button>
        </p>
      )}
      {results !== null && (
        <p className="job-results__retry" data-testid="retry-plan">
          {running
            ? 'Retry failed is possible once the job has finished.'
            : plan.count === 0
              ? 'Nobody in this job needs a retry.'
              : `Retry failed includes ${plan.includes}.`}
          {!running && plan.leavesOut !== null && ` It leaves out ${plan.leavesOut}.`}
        </p>
      )}
      <div className="job-results__filters" role="radiogroup" aria-label="Show">
        {(['all', ...JOB_OUTCOMES] as const).map((outcome) => {
          const count =
            outcome === 'all' ? all.length : all.filter((r) => r.outcome === outcome).length;
          if (outcome !== 'all' && count === 0) return null;
          return (
            <button
              key={outcome}
              type="button"
              role="radio"
              aria-checked={filter === outcome}
              className={`job-results__filter${filter === outcome ? ' job-results__filter--on' : ''}`}
              onClick={() => setFilter(outcome)}
            >
              {outcome === 'all' ? 'All' : outcomeWord(job.params.kind, outcome)} (
              {formatCount(count)})
            </button>
          );
        })}
      </div>
      {results === null && error === null ? (
        <p role="status">Loading results…</p>
      ) : (
        <table className="job-results__table">
          <thead>
            <tr>
              <th scope="col">User ID</th>
              <th scope="col">Outcome</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, SHOWN_ROWS).map((row) => (
              <tr key={row.userId} data-outcome={row.outcome}>
                <td className="job-results__id">{row.userId}</td>
                <td className={`job-results__outcome job-results__outcome--${row.outcome}`}>
                  {outcomeWord(job.params.kind, row.outcome)}
                </td>
                <td>{row.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown.length > SHOWN_ROWS && (
        <p className="job-results__more">
          Showing the first {formatCount(SHOWN_ROWS)} of {formatCount(shown.length)}; export the CSV
          for all of them.
        </p>
      )}
    </Modal>
  );
}
