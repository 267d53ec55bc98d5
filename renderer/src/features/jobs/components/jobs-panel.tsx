import { useState } from 'react';
import type { JobSummary } from '../../../../../shared/ipc/index.ts';
import { JobCard } from './job-card.tsx';
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
