import { useState } from 'react';
import { errorText } from '../../../lib/query.ts';
import { useJobs } from '../api/jobs.ts';
import { JobCard } from './job-card.tsx';
import { JobResultsDialog } from './job-results-dialog.tsx';
import './jobs-panel.css';

/** Each bulk job: live progress, then a summary and its per-user results. */
export function JobsPanel() {
  const jobs = useJobs();
  const [open, setOpen] = useState<string | null>(null);
  const list = jobs.data ?? [];
  const opened = list.find((job) => job.id === open);
  return (
    <section className="jobs-panel" aria-labelledby="jobs-title">
      <header className="jobs-panel__header">
        <h2 id="jobs-title">Jobs</h2>
        {jobs.error !== null && (
          <span className="jobs-panel__error" role="alert">
            Could not load earlier jobs: {errorText(jobs.error)}
          </span>
        )}
      </header>
      {list.length === 0 ? (
        <p className="jobs-panel__empty">
          No jobs yet. Right-click users in the table to reset their passwords.
        </p>
      ) : (
        <ol className="jobs-panel__list">
          {list.map((job) => (
            <JobCard key={job.id} job={job} onOpen={() => setOpen(job.id)} />
          ))}
        </ol>
      )}
      {opened !== undefined && <JobResultsDialog job={opened} onClose={() => setOpen(null)} />}
    </section>
  );
}
