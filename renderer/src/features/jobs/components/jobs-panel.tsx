import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { CHANGED_WORDS, type JobSummary } from '../../../../../shared/ipc/index.ts';
import { formatCount } from '../../../lib/format.ts';
import { errorText } from '../../../lib/query.ts';
import { useJobs } from '../api/jobs.ts';
import { isSending, jobTitle, verdictOf } from '../model/job-verdict.ts';
import { JobCard } from './job-card.tsx';
import { JobResultsDialog } from './job-results-dialog.tsx';
import './jobs-panel.css';

/**
 * The newest job in one line, for the header when its card cannot be seen whole. `live` while
 * the cards, and their live badges, are hidden: then this says when the job's state changes.
 */
function NewestJob({ job, live }: { job: JobSummary | undefined; live: boolean }) {
  if (job === undefined) return <span className="jobs-panel__newest">No jobs yet</span>;
  const verdict = verdictOf(job);
  const progress = isSending(job)
    ? `${formatCount(job.done)} / ${formatCount(job.total)}`
    : `${formatCount(job.counts.changed)} of ${formatCount(job.total)} ${CHANGED_WORDS[job.params.kind].toLowerCase()}`;
  return (
    <span className="jobs-panel__newest" data-testid="jobs-newest" data-tone={verdict.tone}>
      <b aria-live={live ? 'polite' : undefined}>{verdict.label}</b>: {jobTitle(job.params)} ·{' '}
      {progress}
    </span>
  );
}

/** Whether the list is too short to show its first card whole (the panel made small). */
function useFirstItemCut(list: RefObject<HTMLElement | null>, firstKey: string | undefined) {
  const [cut, setCut] = useState(false);
  useLayoutEffect(() => {
    const element = list.current;
    if (element === null || typeof ResizeObserver === 'undefined') return;
    const check = () => {
      const first = element.firstElementChild;
      setCut(
        first instanceof HTMLElement &&
          element.clientHeight > 0 &&
          element.clientHeight < first.offsetHeight,
      );
    };
    check();
    const observer = new ResizeObserver(check);
    observer.observe(element);
    if (element.firstElementChild !== null) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, [list, firstKey]);
  return cut;
}

export interface JobsPanelProps {
  id?: string;
  /** Only the header line shows, with the newest job in it. */
  collapsed?: boolean;
  /** Shows the header's collapse button, which calls this. */
  onToggleCollapsed?: () => void;
}

/** Each bulk job: live progress, then a summary and its per-user results. */
export function JobsPanel({ id, collapsed = false, onToggleCollapsed }: JobsPanelProps) {
  const jobs = useJobs();
  const [open, setOpen] = useState<string | null>(null);
  const list = jobs.data ?? [];
  const opened = list.find((job) => job.id === open);
  const listRef = useRef<HTMLOListElement>(null);
  const firstCut = useFirstItemCut(listRef, list[0]?.id);
  return (
    <section
      id={id}
      className={`jobs-panel${collapsed ? ' jobs-panel--collapsed' : ''}`}
      aria-labelledby="jobs-title"
    >
      <header className="jobs-panel__header">
        <h2 id="jobs-title">Jobs</h2>
        {(collapsed || (firstCut && list.length > 0)) && (
          <NewestJob job={list[0]} live={collapsed} />
        )}
        {jobs.error !== null && (
          <span className="jobs-panel__error" role="alert">
            Could not load earlier jobs: {errorText(jobs.error)}
          </span>
        )}
        {onToggleCollapsed !== undefined && (
          <button
            type="button"
            className="button button--small jobs-panel__toggle"
            aria-expanded={!collapsed}
            aria-controls="jobs-body"
            onClick={onToggleCollapsed}
          >
            <svg className="jobs-panel__chevron" viewBox="0 0 16 16" aria-hidden="true">
              <path d="M4 6l4 4 4-4" />
            </svg>
            {collapsed ? 'Expand' : 'Collapse'}
          </button>
        )}
      </header>
      <div id="jobs-body" className="jobs-panel__body" hidden={collapsed}>
        {list.length === 0 ? (
          <p className="jobs-panel__empty">
            No jobs yet. Right-click users in the table to reset passwords, send recovery emails, or
            change intercept or licenses.
          </p>
        ) : (
          <ol ref={listRef} className="jobs-panel__list">
            {list.map((job) => (
              <JobCard key={job.id} job={job} onOpen={() => setOpen(job.id)} />
            ))}
          </ol>
        )}
      </div>
      {opened !== undefined && <JobResultsDialog job={opened} onClose={() => setOpen(null)} />}
    </section>
  );
}
